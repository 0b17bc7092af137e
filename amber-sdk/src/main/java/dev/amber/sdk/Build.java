package dev.amber.sdk;

import dev.amber.api.template.BuildLogLine;
import dev.amber.api.template.BuildView;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A build of a template. {@link #view()} is what the server said when this handle was made or last
 * {@link #refresh() refreshed}.
 */
public final class Build {

    private static final Set<String> RUNNING = Set.of("queued", "running");
    private static final Duration POLL = Duration.ofMillis(500);

    private final Transport transport;
    private final String id;
    private volatile BuildView view;

    Build(Transport transport, BuildView view) {
        this.transport = requireNonNull(transport, "transport");
        this.view = requireNonNull(view, "view");
        this.id = view.buildId();
    }

    public String id() {
        return id;
    }

    public BuildView view() {
        return view;
    }

    public BuildView refresh() {
        view = transport.get(Endpoints.build(id), Query.empty(), BuildView.class);
        return view;
    }

    /** Whether it has ended: succeeded, failed or cancelled. */
    public boolean ended() {
        return !RUNNING.contains(view.status());
    }

    /**
     * Waits for the build to end and returns how it ended (status {@code succeeded}, {@code failed}
     * with {@code error}, or {@code cancelled}); an {@link IllegalStateException} if it runs longer than {@code timeout}.
     */
    public BuildView await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (RUNNING.contains(refresh().status())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("build " + id + " still " + view.status() + " after " + timeout);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for build " + id, e);
            }
        }
        return view;
    }

    /** Its log after piece {@code afterSeq} (0: from the start): what each step did and printed. */
    public List<BuildLogLine> logs(long afterSeq) {
        return List.of(transport.get(Endpoints.buildLogs(id), Query.empty().with("after", afterSeq),
                BuildLogLine[].class));
    }

    /** Cancels it: at once if queued, before its next step if running. */
    public BuildView cancel() {
        view = transport.post(Endpoints.cancelBuild(id), BuildView.class, transport.options().requestTimeout());
        return view;
    }
}
