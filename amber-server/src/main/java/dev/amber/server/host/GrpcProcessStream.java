package dev.amber.server.host;

import com.google.protobuf.ByteString;
import dev.amber.proto.host.v1.ProcessEvent;
import dev.amber.proto.host.v1.ProcessRequest;
import dev.amber.proto.host.v1.TerminalSize;
import dev.amber.proto.link.LinkLimits;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;

import java.util.function.Function;

/**
 * An attachment to a tracked process carried by one bidirectional AttachProcess call: one thread
 * reads events, another writes input (all the blocking call allows).
 */
final class GrpcProcessStream implements ProcessStream {

    private final BlockingClientCall<ProcessRequest, ProcessEvent> call;
    private final Function<StatusException, HostException> failure;
    private final GuestProcess info;

    private GrpcProcessStream(BlockingClientCall<ProcessRequest, ProcessEvent> call,
                              Function<StatusException, HostException> failure, GuestProcess info) {
        this.call = call;
        this.failure = failure;
        this.info = info;
    }

    /** Sends start or attach and waits for the process's info; cancels the call on failure. */
    static GrpcProcessStream open(BlockingClientCall<ProcessRequest, ProcessEvent> call, ProcessRequest first,
                                  Function<StatusException, HostException> failure) throws HostException {
        try {
            write(call, first, failure);
            ProcessEvent reply = read(call, failure);
            if (reply == null || !reply.hasInfo()) {
                throw new HostException(HostException.Kind.UNAVAILABLE,
                        "the host ended the process call before it was attached");
            }
            return new GrpcProcessStream(call, failure, ProtoConversions.process(reply.getInfo()));
        } catch (HostException | RuntimeException e) {
            call.cancel("could not attach", null);
            throw e;
        }
    }

    @Override
    public GuestProcess info() {
        return info;
    }

    @Override
    public Event next() throws HostException {
        ProcessEvent event = read(call, failure);
        if (event == null) {
            return null;
        }
        return switch (event.getPayloadCase()) {
            case STDOUT -> new Event.Output("stdout", event.getStdout().toByteArray());
            case STDERR -> new Event.Output("stderr", event.getStderr().toByteArray());
            case DROPPED -> new Event.Dropped(event.getDropped().getStream(), event.getDropped().getTotalBytes());
            case EXIT -> new Event.Exited(ProtoConversions.exit(event.getExit()));
            case INFO, PAYLOAD_NOT_SET -> throw new HostException(HostException.Kind.UNAVAILABLE,
                    "the host sent an unexpected " + event.getPayloadCase() + " event");
        };
    }

    @Override
    public void write(byte[] stdin) throws HostException {
        for (int sent = 0; sent < stdin.length; ) {
            int chunk = Math.min(stdin.length - sent, LinkLimits.CHUNK_BYTES);
            write(call, ProcessRequest.newBuilder().setStdin(ByteString.copyFrom(stdin, sent, chunk)).build(), failure);
            sent += chunk;
        }
    }

    @Override
    public void closeStdin() throws HostException {
        write(call, ProcessRequest.newBuilder().setCloseStdin(true).build(), failure);
    }

    @Override
    public void resize(int rows, int cols) throws HostException {
        write(call, ProcessRequest.newBuilder().setResize(TerminalSize.newBuilder().setRows(rows).setCols(cols)).build(),
                failure);
    }

    @Override
    public void close() {
        call.cancel("detached", null);
    }

    private static void write(BlockingClientCall<ProcessRequest, ProcessEvent> call, ProcessRequest message,
                              Function<StatusException, HostException> failure) throws HostException {
        try {
            if (!call.write(message)) {
                throw new HostException(HostException.Kind.NOT_RUNNING, "the process is no longer attached");
            }
        } catch (StatusException e) {
            throw failure.apply(e);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private static ProcessEvent read(BlockingClientCall<ProcessRequest, ProcessEvent> call,
                                     Function<StatusException, HostException> failure) throws HostException {
        try {
            return call.read();
        } catch (StatusException e) {
            throw failure.apply(e);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private static HostException interrupted() {
        Thread.currentThread().interrupt();
        return new HostException(HostException.Kind.UNAVAILABLE, "interrupted while attached to a process");
    }
}
