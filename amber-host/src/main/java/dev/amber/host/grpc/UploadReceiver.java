package dev.amber.host.grpc;

import dev.amber.host.agent.AgentClient;
import dev.amber.proto.host.v1.UploadHeader;
import dev.amber.proto.host.v1.UploadRequest;
import dev.amber.proto.host.v1.UploadResponse;
import dev.amber.proto.link.LinkLimits;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Receives one upload and streams it into the guest while it arrives. Flow control is manual: the
 * client may have at most {@link #WINDOW} chunks in flight or waiting, so a fast client cannot
 * make the host buffer the file. gRPC callbacks only queue chunks; a virtual thread of its own
 * writes them to the guest and sends the one response.
 */
final class UploadReceiver implements StreamObserver<UploadRequest> {

    /** Chunks (of up to 1 MiB) requested ahead of the guest: enough to keep it busy. */
    private static final int WINDOW = 4;

    private final Agents agents;
    private final ServerCallStreamObserver<UploadResponse> response;
    private ChunkPipe pipe;
    private boolean refused;

    /** Must be constructed inside the service method: flow control can only be set up there. */
    UploadReceiver(Agents agents, StreamObserver<UploadResponse> response) {
        this.agents = requireNonNull(agents, "agents");
        this.response = (ServerCallStreamObserver<UploadResponse>) requireNonNull(response, "response");
        this.response.disableAutoRequest();
        this.response.setOnCancelHandler(() -> abandon(Status.CANCELLED.withDescription("the client cancelled the upload")));
        this.response.request(1);
    }

    @Override
    public void onNext(UploadRequest message) {
        if (refused) {
            return;
        }
        switch (message.getPayloadCase()) {
            case HEADER -> {
                if (pipe != null) {
                    refuse("the header may only be sent once, as the first message");
                } else {
                    start(message.getHeader());
                }
            }
            case CHUNK -> {
                if (pipe == null) {
                    refuse("the first message must be the header (sandbox id, path, mode)");
                } else if (message.getChunk().size() > LinkLimits.CHUNK_BYTES) {
                    refuse("chunks must be at most " + LinkLimits.CHUNK_BYTES + " bytes, got " + message.getChunk().size());
                } else {
                    pipe.offer(message.getChunk());
                }
            }
            case PAYLOAD_NOT_SET -> refuse("an upload message must carry a header or a chunk");
        }
    }

    @Override
    public void onError(Throwable t) {
        abandon(Status.CANCELLED.withDescription("the client abandoned the upload: " + t.getMessage()));
    }

    @Override
    public void onCompleted() {
        if (refused) {
            return;
        }
        if (pipe == null) {
            refuse("the upload ended without a header");
        } else {
            pipe.finish();
        }
    }

    private void start(UploadHeader header) {
        AgentClient agent;
        try {
            agent = agents.of(header.getSandboxId());
        } catch (IOException e) {
            refused = true;
            response.onError(HostStatuses.of(e));
            return;
        }
        pipe = new ChunkPipe(() -> response.request(1), LinkLimits.STREAM_IDLE);
        response.request(WINDOW);
        Thread.ofVirtual().name("upload-" + header.getSandboxId()).start(() -> write(agent, header, pipe));
    }

    private void write(AgentClient agent, UploadHeader header, ChunkPipe source) {
        try {
            long written = agent.upload(header.getPath(), header.getMode(), source);
            response.onNext(UploadResponse.newBuilder().setBytesWritten(written).build());
            response.onCompleted();
        } catch (IOException | RuntimeException e) {
            response.onError(source.failure().orElseGet(() -> HostStatuses.of(e)));
        }
    }

    /** A bad message: answered at once before the writer exists, by the writer after. */
    private void refuse(String why) {
        refused = true;
        StatusException status = Status.INVALID_ARGUMENT.withDescription(why).asException();
        if (pipe == null) {
            response.onError(status);
        } else {
            pipe.fail(status);
        }
    }

    private void abandon(Status why) {
        if (pipe != null) {
            pipe.fail(why.asException());
        }
    }
}
