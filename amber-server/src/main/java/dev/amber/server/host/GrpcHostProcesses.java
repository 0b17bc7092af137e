package dev.amber.server.host;

import com.google.protobuf.ByteString;
import dev.amber.proto.host.v1.ExecRequest;
import dev.amber.proto.host.v1.ExecResponse;
import dev.amber.proto.host.v1.ListProcessesRequest;
import dev.amber.proto.host.v1.ProcessAttach;
import dev.amber.proto.host.v1.ProcessRequest;
import dev.amber.proto.host.v1.ProcessStart;
import dev.amber.proto.host.v1.SignalProcessRequest;
import dev.amber.proto.link.LinkLimits;

import java.time.Duration;
import java.util.List;

import static dev.amber.server.host.GrpcCalls.CALL_DEADLINE;
import static dev.amber.server.host.GrpcCalls.CONNECTION_DEADLINE;
import static dev.amber.server.host.GrpcCalls.millis;
import static java.util.Objects.requireNonNull;

/** {@link HostProcesses} over gRPC. */
final class GrpcHostProcesses implements HostProcesses {

    /** Past an exec's own timeout, for the guest to kill the process and report. */
    private static final Duration EXEC_GRACE = Duration.ofSeconds(30);
    /** An exec without a timeout may run as long as the API lets any exec run. */
    private static final Duration UNTIMED_EXEC = Duration.ofHours(24);
    /** Room in an exec reply beyond its two outputs. */
    private static final int EXEC_REPLY_OVERHEAD = 64 * 1024;

    private final GrpcCalls calls;

    GrpcHostProcesses(GrpcCalls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    @Override
    public ExecOutcome exec(String sandboxId, ExecCall call, int maxOutputBytes) throws HostException {
        if (maxOutputBytes < 0 || maxOutputBytes > LinkLimits.MAX_EXEC_OUTPUT_BYTES) {
            throw new IllegalArgumentException("maxOutputBytes must be between 0 and " + LinkLimits.MAX_EXEC_OUTPUT_BYTES);
        }
        byte[] stdin = call.stdin() == null ? new byte[0] : call.stdin();
        if (stdin.length > LinkLimits.MAX_STDIN_BYTES) {
            throw new HostException(HostException.Kind.INVALID, "stdin may be at most " + LinkLimits.MAX_STDIN_BYTES
                    + " bytes, got " + stdin.length + "; upload large input as a file instead");
        }
        ExecRequest request = ExecRequest.newBuilder()
                .setSandboxId(sandboxId)
                .addAllArgv(call.argv())
                .putAllEnv(call.env())
                .setCwd(call.cwd() == null ? "" : call.cwd())
                .setUser(call.user() == null ? "" : call.user())
                .setStdin(ByteString.copyFrom(stdin))
                .setTimeoutMs(millis(call.timeout()))
                .setMaxOutputBytes(maxOutputBytes)
                .setDeadlineMs(millis(call.deadline()))
                .build();
        Duration deadline = (call.timeout() == null ? UNTIMED_EXEC : call.timeout()).plus(EXEC_GRACE);
        ExecResponse reply = calls.call(() -> calls.host().withDeadlineAfter(deadline)
                .withMaxInboundMessageSize(2 * maxOutputBytes + EXEC_REPLY_OVERHEAD)
                .exec(request));
        return new ExecOutcome(reply.getExitCode(), reply.getStdout().toByteArray(), reply.getStderr().toByteArray(),
                reply.getDurationMs(), reply.getTimedOut(), reply.getTruncated());
    }

    @Override
    public ProcessStream start(String sandboxId, ProcessCall call) throws HostException {
        ExecCall exec = call.exec();
        ProcessStart.Builder start = ProcessStart.newBuilder()
                .setSandboxId(sandboxId)
                .addAllArgv(exec.argv())
                .putAllEnv(exec.env())
                .setCwd(exec.cwd() == null ? "" : exec.cwd())
                .setUser(exec.user() == null ? "" : exec.user())
                .setTimeoutMs(millis(exec.timeout()))
                .setTag(call.tag() == null ? "" : call.tag())
                .setBackground(call.background())
                .setDeadlineMs(millis(exec.deadline()));
        if (call.terminal() != null) {
            start.setTerminal(dev.amber.proto.host.v1.TerminalSize.newBuilder().setRows(call.terminal().rows())
                    .setCols(call.terminal().cols()));
        }
        return open(ProcessRequest.newBuilder().setStart(start).build());
    }

    @Override
    public ProcessStream attach(String sandboxId, long pid, Duration deadline) throws HostException {
        return open(ProcessRequest.newBuilder().setAttach(ProcessAttach.newBuilder().setSandboxId(sandboxId).setPid(pid)
                .setDeadlineMs(millis(deadline))).build());
    }

    private ProcessStream open(ProcessRequest first) throws HostException {
        return GrpcProcessStream.open(calls.host().withDeadlineAfter(CONNECTION_DEADLINE).attachProcess(), first,
                calls::failure);
    }

    @Override
    public List<ProcessStream.GuestProcess> list(String sandboxId) throws HostException {
        return calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE)
                        .listProcesses(ListProcessesRequest.newBuilder().setSandboxId(sandboxId).build()))
                .getProcessesList().stream().map(ProtoConversions::process).toList();
    }

    @Override
    public ProcessStream.GuestProcess signal(String sandboxId, long pid, int signal) throws HostException {
        return ProtoConversions.process(calls.call(() -> calls.host().withDeadlineAfter(CALL_DEADLINE).signalProcess(
                SignalProcessRequest.newBuilder().setSandboxId(sandboxId).setPid(pid).setSignal(signal).build())));
    }
}
