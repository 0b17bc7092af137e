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
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One attachment to a tracked guest process, relayed between the control plane's call and a
 * {@link ProcessSession}. Events go out no faster than the client reads ({@link ReadyGate}); input
 * that arrives while the session is still being opened waits for it. Cancelling the call detaches.
 */
final class ProcessRelay implements StreamObserver<ProcessRequest> {

    private final Agents agents;
    private final ServerCallStreamObserver<ProcessEvent> response;
    private final ReadyGate ready;
    private final List<ProcessRequest> early = new ArrayList<>();
    private boolean opened;
    private ProcessSession session;
    private boolean over;

    /** Must be constructed inside the service method: flow control can only be set up there. */
    ProcessRelay(Agents agents, StreamObserver<ProcessEvent> response) {
        this.agents = requireNonNull(agents, "agents");
        this.response = (ServerCallStreamObserver<ProcessEvent>) requireNonNull(response, "response");
        this.ready = new ReadyGate(this.response, "process output");
        this.response.setOnReadyHandler(ready::wake);
        this.response.setOnCancelHandler(() -> {
            ready.wake();
            detach();
        });
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
            case START, ATTACH -> open(message);
            case STDIN, CLOSE_STDIN, RESIZE -> input(message);
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

    private synchronized void open(ProcessRequest first) {
        if (opened) {
            refuse("start or attach may only be sent once, as the first message");
            return;
        }
        opened = true;
        Thread.ofVirtual().name("process-relay").start(() -> relay(first));
    }

    private void input(ProcessRequest message) {
        ProcessSession ready;
        synchronized (this) {
            if (!opened) {
                refuse("the first message must be start or attach");
                return;
            }
            if (session == null) {
                early.add(message);
                return;
            }
            ready = session;
        }
        deliver(ready, message);
    }

    private void deliver(ProcessSession to, ProcessRequest message) {
        try {
            switch (message.getPayloadCase()) {
                case STDIN -> to.write(message.getStdin().toByteArray());
                case CLOSE_STDIN -> to.closeStdin();
                case RESIZE -> to.resize(size(message.getResize()));
                default -> throw new IllegalStateException("not input: " + message.getPayloadCase());
            }
        } catch (IOException e) {
            // the attachment is over; the relay thread reports why
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage());
        }
    }

    private void relay(ProcessRequest first) {
        try (ProcessSession attached = open(first.getPayloadCase() == ProcessRequest.PayloadCase.START
                ? startRequest(first.getStart()) : null, first)) {
            List<ProcessRequest> waiting;
            synchronized (this) {
                if (over) {
                    return;
                }
                session = attached;
                waiting = List.copyOf(early);
                early.clear();
            }
            send(ProcessEvent.newBuilder().setInfo(ProtoConversions.process(attached.info())).build());
            waiting.forEach(message -> deliver(attached, message));
            ProcessSession.Event event;
            while ((event = attached.next()) != null) {
                send(event(event));
            }
            response.onCompleted();
        } catch (IOException | RuntimeException e) {
            if (!response.isCancelled()) {
                response.onError(HostStatuses.of(e));
            }
        }
    }

    private ProcessSession open(Request.Start start, ProcessRequest first) throws IOException {
        if (start != null) {
            return agents.of(first.getStart().getSandboxId()).start(start, deadline(first.getStart().getDeadlineMs()));
        }
        return agents.of(first.getAttach().getSandboxId()).attach(first.getAttach().getPid(),
                deadline(first.getAttach().getDeadlineMs()));
    }

    private static Request.Start startRequest(ProcessStart start) {
        if (start.getTimeoutMs() < 0) {
            throw new IllegalArgumentException("timeout_ms must not be negative (0: no timeout)");
        }
        return new Request.Start(start.getArgvList(), start.getEnvMap(), emptyToNull(start.getCwd()),
                emptyToNull(start.getUser()), start.getTimeoutMs(), emptyToNull(start.getTag()), start.getBackground(),
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

    private void refuse(String why) {
        detach();
        response.onError(Status.INVALID_ARGUMENT.withDescription(why).asException());
    }

    private void detach() {
        ProcessSession attached;
        synchronized (this) {
            over = true;
            attached = session;
        }
        if (attached != null) {
            attached.close();
        }
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
