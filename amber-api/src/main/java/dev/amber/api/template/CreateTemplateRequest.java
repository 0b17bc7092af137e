package dev.amber.api.template;

import dev.amber.api.Alternatives;
import dev.amber.api.Copies;
import dev.amber.api.MachineSizeBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /v1/templates}: a recipe, built into template {@code name} (a rebuild when the team has
 * one of that name). {@code from}: the template it starts from (default {@code base}). {@code kind}:
 * {@code snapshot} (default: the machine is saved with its processes running once {@code readyCmd}
 * succeeds, within {@code readyTimeoutSec}) or {@code image}. Resources only with an image template
 * as {@code from}; a snapshot template's come from its snapshot. {@code platform}: an admin's
 * template for every team. {@code image}: {@code {"uri": "oci-archive:/path"}} (or
 * {@code docker-archive:/path}), an image archive on the server's host imported as an image
 * template (admins only; no from, steps or readyCmd: build on it with another recipe). Clients build
 * one with {@link #builder(String)}.
 */
public record CreateTemplateRequest(String name, String from, List<TemplateStep> steps, String readyCmd,
                                    Integer readyTimeoutSec, String kind, Integer vcpus, Integer memoryMb,
                                    Long diskSizeMb, Boolean platform, Map<String, Object> image) {

    /** A recipe for template {@code name}: no steps yet, from the base template, a snapshot template. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** What a build leaves: a snapshot with the processes running, or a disk that sandboxes boot. */
    public enum Kind {
        SNAPSHOT, IMAGE;

        /** Its name on the wire. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Sets what a {@link CreateTemplateRequest} says; a field never set (or set to null) is left out
     * and takes the server's default. It starts from one source at most: {@link #from} or
     * {@link #fromImage}.
     */
    public static final class Builder extends MachineSizeBuilder<Builder> {

        private final String name;
        private final Alternatives source = new Alternatives("a template's source");
        private String from;
        private Map<String, Object> image;
        private List<TemplateStep> steps;
        private String readyCmd;
        private Integer readyTimeoutSec;
        private Kind kind;
        private Boolean platform;

        private Builder(String name) {
            this.name = requireNonNull(name, "name");
        }

        /** Builds on template {@code template} instead of the base template. */
        public Builder from(String template) {
            source.choose("from");
            from = requireNonNull(template, "template");
            return this;
        }

        /**
         * Imports an image archive on the server's host, {@code oci-archive:/path} or
         * {@code docker-archive:/path}, as an image template (admins only; no steps or readyCmd).
         */
        public Builder fromImage(String uri) {
            source.choose("fromImage");
            image = Map.of("uri", requireNonNull(uri, "uri"));
            return this;
        }

        /** Appends a step ({@link TemplateStep#run}, {@link TemplateStep#copy}...). */
        public Builder step(TemplateStep step) {
            requireNonNull(step, "step");
            if (steps == null) {
                steps = new ArrayList<>();
            }
            steps.add(step);
            return this;
        }

        /** Appends these steps, in order. */
        public Builder steps(List<TemplateStep> more) {
            requireNonNull(more, "steps").forEach(this::step);
            return this;
        }

        /** The command whose success makes the machine ready to be saved (snapshot templates). */
        public Builder readyCmd(String value) {
            readyCmd = value;
            return this;
        }

        public Builder readyTimeoutSec(Integer value) {
            readyTimeoutSec = value;
            return this;
        }

        public Builder kind(Kind value) {
            kind = value;
            return this;
        }

        /** A template of every team (admins only). */
        public Builder platform(Boolean value) {
            platform = value;
            return this;
        }

        /** @throws IllegalStateException when both {@code from} and {@code fromImage} were set */
        public CreateTemplateRequest build() {
            source.requireAtMostOne();
            return new CreateTemplateRequest(name, from, Copies.of(steps), readyCmd, readyTimeoutSec,
                    kind == null ? null : kind.wireName(), vcpus, memoryMb, diskSizeMb, platform, image);
        }
    }
}
