package dev.amber.server.file;

import dev.amber.api.error.ApiException;
import dev.amber.api.error.ErrorCode;
import dev.amber.api.file.FileEntry;
import dev.amber.api.file.MkdirRequest;
import dev.amber.api.file.MoveRequest;
import dev.amber.api.file.UploadResult;
import dev.amber.server.auth.Caller;
import dev.amber.server.host.HostFiles;
import dev.amber.server.host.HostFiles.GuestFile;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import dev.amber.server.sandbox.SandboxRecord;
import dev.amber.server.sandbox.SandboxService;
import io.javalin.http.Context;

import java.time.Instant;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code /v1/sandboxes/{id}/files}: streamed upload and download of any size (never held in memory
 * here), and directory operations. Paths are checked before the host is called.
 */
public final class FileRoutes {

    private static final int DEFAULT_FILE_MODE = 0644;
    private static final int DEFAULT_DIRECTORY_MODE = 0755;

    private final SandboxService sandboxes;
    private final Requests requests;

    public FileRoutes(SandboxService sandboxes, Requests requests) {
        this.sandboxes = requireNonNull(sandboxes, "sandboxes");
        this.requests = requireNonNull(requests, "requests");
    }

    public void register(RouteTable routes) {
        routes.get("/v1/sandboxes/{id}/files", this::download);
        routes.put("/v1/sandboxes/{id}/files", this::upload);
        routes.delete("/v1/sandboxes/{id}/files", ctx -> {
            String path = path(ctx);
            host(ctx).remove(id(ctx), path, Requests.booleanQuery(ctx, "recursive"));
            ctx.status(204);
        });
        routes.get("/v1/sandboxes/{id}/files/list", ctx -> {
            String path = path(ctx);
            Requests.PageRequest page = Requests.page(ctx);
            List<GuestFile> all = host(ctx).list(id(ctx), path);
            List<FileEntry> entries = all.stream().skip(page.offset()).limit(page.limitPlusOne())
                    .map(file -> entry(file, child(path, file.name()))).toList();
            ctx.json(page.toPage(entries));
        });
        routes.get("/v1/sandboxes/{id}/files/stat", ctx -> {
            String path = path(ctx);
            ctx.json(entry(host(ctx).stat(id(ctx), path), path));
        });
        routes.post("/v1/sandboxes/{id}/files/mkdir", ctx -> {
            MkdirRequest request = requests.body(ctx, MkdirRequest.class);
            String path = GuestPaths.check(required("path", request.path()));
            int mode = GuestPaths.mode(request.mode(), DEFAULT_DIRECTORY_MODE);
            ctx.json(entry(host(ctx).mkdir(id(ctx), path, mode), path));
        });
        routes.post("/v1/sandboxes/{id}/files/move", ctx -> {
            MoveRequest request = requests.body(ctx, MoveRequest.class);
            String from = GuestPaths.check(required("from", request.from()));
            String to = GuestPaths.check(required("to", request.to()));
            ctx.json(entry(host(ctx).move(id(ctx), from, to), to));
        });
    }

    /** The whole file, or with a {@code Range} header one part of it (206, Content-Range). */
    private void download(Context ctx) throws Exception {
        String path = path(ctx);
        HostFiles host = host(ctx);
        String header = ctx.header("Range");
        Optional<ByteRange> range = header == null ? Optional.empty() : ByteRange.of(header, host.stat(id(ctx), path).size());
        long offset = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(0L);
        host.download(id(ctx), path, offset, length, file -> {
            ctx.contentType("application/octet-stream");
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("X-Amber-File-Mode", String.format("%o", file.mode()));
            range.ifPresentOrElse(part -> {
                ctx.status(206);
                ctx.header("Content-Range", part.contentRange(file.size()));
                ctx.header("Content-Length", Long.toString(part.length()));
            }, () -> ctx.header("Content-Length", Long.toString(file.size())));
        }, ctx.res().getOutputStream());
    }

    private void upload(Context ctx) throws Exception {
        String path = path(ctx);
        int mode = GuestPaths.mode(ctx.queryParam("mode"), DEFAULT_FILE_MODE);
        SandboxRecord sandbox = sandboxes.require(Requests.caller(ctx), id(ctx));
        long limit = sandbox.diskSizeMb() * 1024 * 1024;
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "upload of " + declared + " bytes exceeds the sandbox's disk size of "
                    + sandbox.diskSizeMb() + " MiB");
        }
        HostFiles host = host(ctx);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long size = host.upload(id(ctx), path, mode, new DigestInputStream(
                new LimitedInputStream(ctx.req().getInputStream(), limit), sha256));
        ctx.json(new UploadResult(path, size, HexFormat.of().formatHex(sha256.digest())));
    }

    private HostFiles host(Context ctx) {
        Caller caller = Requests.caller(ctx);
        return sandboxes.running(caller, id(ctx)).files();
    }

    private static String id(Context ctx) {
        return ctx.pathParam("id");
    }

    private static String path(Context ctx) {
        return GuestPaths.check(Requests.query(ctx, "path"));
    }

    private static String required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("field \"" + field + "\" is required");
        }
        return value;
    }

    private static String child(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }

    static FileEntry entry(GuestFile file, String path) {
        return new FileEntry(file.name(), path, file.type(), file.size(), String.format("%o", file.mode()),
                Instant.ofEpochMilli(file.modifiedMillis()), file.owner());
    }
}
