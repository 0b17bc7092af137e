package dev.amber.host.grpc;

import com.google.protobuf.ByteString;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.agent.ProcessSession;
import dev.amber.proto.host.v1.OutputDropped;
import dev.amber.proto.host.v1.ProcessEvent;
import dev.amber.proto.host.v1.ProcessRequest;
import dev.amber.proto.host.v1.ProcessStart;
import dev.amber.proto.host.v1.TerminalSize;
import dev.amber.protocol.message.Request;
import dev.amber.protocol.message.Tags;
import dev.amber.protocol.message.WindowSize;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One attachment to a tracked guest process, relayed between the control plane's call and a
 * {@link ProcessSession}, with a thread each way so that gRPC's callbacks never block: events go
 * out no faster than the client reads ({@link ReadyGate}); input is taken one message at a time
 * (automatic requests are off) and handed to the guest by the input thread, which asks for the next
 * message only when the guest took the last, so a process that reads no input holds the client back.
 * Cancelling the call detaches. Only the relay thread ends the call once it runs.
 */
final class ProcessRelay implements StreamObserver<ProcessRequest> {

    private final Agents agents;
    private final ServerCallStreamObserver<ProcessEvent> response;
    private final ReadyGate ready;
    private final BlockingQueue<ProcessRequest> input = new LinkedBlockingQueue<>();
    private final CompletableFuture<ProcessSession> session = new CompletableFuture<>();
    /** Touched only by gRPC's callbacks, which run one at a time. */
    private boolean opened;
    private volatile boolean over;
    private volatile Status refusal;

    /** Must be constructed inside the service method: flow control can only be set up there. */
    ProcessRelay(Agents agents, StreamObserver<ProcessEvent> response) {
        this.agents = requireNonNull(agents, "agents");
        this.response = (ServerCallStreamObserver<ProcessEvent>) requireNonNull(response, "response");
        this.ready = new ReadyGate(this.response, "process output");
        this.response.disableAutoRequest();
        this.response.setOnReadyHandler(ready::wake);
        this.response.setOnCancelHandler(() -> {
            ready.wake();
            detach();
        });
        this.response.request(1);
    }

    /** The guest's allowed silence: {@code millis}, or the default when 0. */
    static Duration deadline(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("deadline_ms must not be negative (0: the default)");
        }
        return millis == 0 ? AgentClient.DEFAULT_IDLE_TIMEOUT : Duration.ofMillis(millis);
    }

    @Override
    public void onNext(ProcessRequest message) {
        switch (message.getPayloadCase()) {
            case START, ATTACH -> {
                if (opened) {
                    refuse("start or attach may only be sent once, as the first message");
                    return;
                }
                opened = true;
                Thread relay = Thread.ofVirtual().name("process-relay").unstarted(() -> relay(message));
                Thread.ofVirtual().name("process-input").start(() -> takeInput(relay));
                relay.start();
                response.request(1);
            }
            case STDIN, CLOSE_STDIN, RESIZE -> {
                if (opened) {
                    input.add(message);
                } else {
                    refuse("the first message must be start or attach");
                }
            }
            case PAYLOAD_NOT_SET -> refuse("a process message must carry start, attach, stdin, close_stdin or resize");
        }
    }

    @Override
    public void onError(Throwable t) {
        detach();
    }

    /** The client has no more input: nothing changes, its output still flows. */
    @Override
    public void onCompleted() {
    }

    private void relay(ProcessRequest first) {
        try (ProcessSession attached = open(first)) {
            session.complete(attached);
            if (over) {
                throw new IOException("detached while attaching");
            }
            send(ProcessEvent.newBuilder().setInfo(ProtoConversions.process(attached.info())).build());
            ProcessSession.Event event;
            while ((event = attached.next()) != null) {
                send(event(event));
            }
            response.onCompleted();
        } catch (IOException | RuntimeException e) {
            session.completeExceptionally(e);
            if (!response.isCancelled()) {
                response.onError(refusal != null ? refusal.asException() : HostStatuses.of(e));
            }
        }
    }

    /** Hands the client's input to the guest, one message at a time, asking for the next after each. */
    private void takeInput(Thread relay) {
        try {
            ProcessSession attached = session.get();
            while (relay.isAlive() || !input.isEmpty()) {
                ProcessRequest message = input.poll(1, TimeUnit.SECONDS);
                if (message != null) {
                    deliver(attached, message);
                    response.request(1);
                }
            }
        } catch (ExecutionException | IOException e) {
            // the attachment is over; the relay thread reports why
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deliver(ProcessSession to, ProcessRequest message) throws IOException {
        switch (message.getPayloadCase()) {
            case STDIN -> to.write(message.getStdin().toByteArray());
            case CLOSE_STDIN -> to.closeStdin();
            case RESIZE -> to.resize(size(message.getResize()));
            default -> throw new IllegalStateException("not input: " + message.getPayloadCase());
        }
    }

    private ProcessSession open(ProcessRequest first) throws IOException {
        if (first.hasStart()) {
            ProcessStart start = first.getStart();
            return agents.of(start.getSandboxId()).start(startRequest(start), deadline(start.getDeadlineMs()));
        }
        return agents.of(first.getAttach().getSandboxId()).attach(first.getAttach().getPid(),
                deadline(first.getAttach().getDeadlineMs()));
    }

    private static Request.Start startRequest(ProcessStart start) {
        if (start.getTimeoutMs() < 0) {
            throw new IllegalArgumentException("timeout_ms must not be negative (0: no timeout)");
        }
        return new Request.Start(start.getArgvList(), start.getEnvMap(), ProtoConversions.emptyToNull(start.getCwd()),
                ProtoConversions.emptyToNull(start.getUser()), start.getTimeoutMs(), ProtoConversions.emptyToNull(start.getTag()), start.getBackground(),
                start.hasTerminal() ? size(start.getTerminal()) : null);
    }

    private static ProcessEvent event(ProcessSession.Event event) {
        return switch (event) {
            case ProcessSession.Event.Output(int tag, byte[] data) -> tag == Tags.STDERR
                    ? ProcessEvent.newBuilder().setStderr(ByteString.copyFrom(data)).build()
                    : ProcessEvent.newBuilder().setStdout(ByteString.copyFrom(data)).build();
            case ProcessSession.Event.Dropped(int tag, long total) -> ProcessEvent.newBuilder()
                    .setDropped(OutputDropped.newBuilder().setStream(tag == Tags.STDERR ? "stderr" : "stdout")
                            .setTotalBytes(total))
                    .build();
            case ProcessSession.Event.Exited(var exit) -> ProcessEvent.newBuilder()
                    .setExit(ProtoConversions.exit(exit)).build();
        };
    }

    private void send(ProcessEvent event) throws IOException {
        ready.await();
        response.onNext(event);
    }

    private static WindowSize size(TerminalSize size) {
        return new WindowSize(size.getRows(), size.getCols());
    }

    /**
     * A bad message: before the relay runs, the call fails here; after, the relay thread fails it
     * with this reason once the session is closed (gRPC's call may not be used from two threads).
     */
    private void refuse(String why) {
        Status status = Status.INVALID_ARGUMENT.withDescription(why);
        if (!opened) {
            over = true;
            response.onError(status.asException());
            return;
        }
        refusal = status;
        detach();
    }

    private void detach() {
        over = true;
        if (session.isDone() && !session.isCompletedExceptionally()) {
            session.join().close();
        }
    }
}
