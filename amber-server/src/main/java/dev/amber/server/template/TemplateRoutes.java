package dev.amber.server.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amber.api.template.BuildLogLine;
import dev.amber.api.template.CreateTemplateRequest;
import dev.amber.server.http.Requests;
import dev.amber.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code /v1/templates}, {@code /v1/builds} and their admin views. A build's log is JSON, or, with
 * {@code Accept: text/event-stream} (or {@code ?follow=true}), server-sent events that follow the
 * build: every piece as it is written, then an {@code end} event with the build's status.
 */
public final class TemplateRoutes {

    private static final int LOG_PAGE = 500;
    private static final long FOLLOW_POLL_MS = 250;
    /** A follower is let go after this long even if the build still runs; it can reconnect with Last-Event-ID. */
    private static final Duration MAX_FOLLOW = Duration.ofHours(2);

    private final TemplateService templates;
    private final Requests requests;
    private final ObjectMapper json;

    public TemplateRoutes(TemplateService templates, Requests requests, ObjectMapper json) {
        this.templates = requireNonNull(templates, "templates");
        this.requests = requireNonNull(requests, "requests");
        this.json = requireNonNull(json, "json");
    }

    public void register(RouteTable routes) {
        routes.post("/v1/templates", ctx -> ctx.status(202).json(
                templates.build(Requests.caller(ctx), requests.body(ctx, CreateTemplateRequest.class))));
        routes.get("/v1/templates", ctx -> ctx.json(templates.list(Requests.caller(ctx), Requests.page(ctx))));
        routes.get("/v1/templates/{name}", ctx -> ctx.json(templates.get(Requests.caller(ctx), ctx.pathParam("name"))));
        routes.delete("/v1/templates/{name}", ctx -> {
            templates.delete(Requests.caller(ctx), ctx.pathParam("name"));
            ctx.status(204);
        });
        routes.get("/v1/builds", ctx -> ctx.json(templates.builds(Requests.caller(ctx), Requests.page(ctx))));
        routes.get("/v1/builds/{id}", ctx -> ctx.json(
                templates.requireBuild(Requests.caller(ctx), ctx.pathParam("id")).view()));
        routes.post("/v1/builds/{id}/cancel", ctx -> ctx.json(
                templates.cancel(Requests.caller(ctx), ctx.pathParam("id"))));
        routes.get("/v1/builds/{id}/logs", this::logs);
        routes.get("/v1/admin/templates", ctx -> ctx.json(templates.listAll(Requests.caller(ctx), Requests.page(ctx))));
        routes.get("/v1/admin/builds", ctx -> ctx.json(templates.buildsOfAll(Requests.caller(ctx), Requests.page(ctx))));
    }

    private void logs(Context ctx) throws IOException {
        BuildRecord build = templates.requireBuild(Requests.caller(ctx), ctx.pathParam("id"));
        long after = lastEventId(ctx);
        String accept = ctx.header("Accept");
        if (Requests.booleanQuery(ctx, "follow") || (accept != null && accept.contains("text/event-stream"))) {
            follow(ctx, build, after);
        } else {
            ctx.json(templates.logs(build, after, Integer.MAX_VALUE));
        }
    }

    /** Server-sent events: the log so far, then each new piece within a quarter second, then the end. */
    private void follow(Context ctx, BuildRecord build, long after) throws IOException {
        ctx.contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        long until = System.nanoTime() + MAX_FOLLOW.toNanos();
        long seq = after;
        while (System.nanoTime() < until) {
            boolean ended = templates.refresh(build).finished();
            List<BuildLogLine> lines = templates.logs(build, seq, LOG_PAGE);
            for (BuildLogLine line : lines) {
                event(out, Long.toString(line.seq()), "log", json.writeValueAsString(line));
                seq = line.seq();
            }
            out.flush();
            if (ended && lines.size() < LOG_PAGE) {
                event(out, null, "end", json.writeValueAsString(templates.refresh(build).view()));
                out.flush();
                return;
            }
            if (lines.isEmpty()) {
                pause();
            }
        }
    }

    private static void event(OutputStream out, String id, String name, String data) throws IOException {
        StringBuilder event = new StringBuilder();
        if (id != null) {
            event.append("id: ").append(id).append('\n');
        }
        event.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
        out.write(event.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Where a reconnecting follower left off: Last-Event-ID, else the {@code after} query parameter. */
    private static long lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header != null && header.matches("\\d{1,18}")) {
            return Long.parseLong(header);
        }
        return Requests.intQuery(ctx, "after", 0);
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(FOLLOW_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted following a build log");
        }
    }
}
