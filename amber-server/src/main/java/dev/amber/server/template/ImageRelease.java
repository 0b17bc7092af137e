package dev.amber.server.template;

import dev.amber.server.Ids;
import dev.amber.server.host.HostDirectory;
import dev.amber.server.host.HostException;
import dev.amber.server.template.TemplateRepository.Template;

import static java.util.Objects.requireNonNull;

/**
 * Deletes a template image that nothing needs any more (its template was rebuilt or deleted): no
 * template points at it, no running or paused sandbox booted it, no snapshot's disk sits on it.
 * An image still needed, or whose host is away, stays (and is logged); {@link #collect} deletes it
 * once its last user goes.
 */
public final class ImageRelease {

    private static final System.Logger LOG = System.getLogger("amber.build");

    private final TemplateRepository templates;
    private final HostDirectory hosts;

    public ImageRelease(TemplateRepository templates, HostDirectory hosts) {
        this.templates = requireNonNull(templates, "templates");
        this.hosts = requireNonNull(hosts, "hosts");
    }

    /** Releases the image {@code template} booted, if it had one. */
    void releaseImageOf(Template template) {
        if (template.imageId() == null) {
            return;
        }
        String image = Ids.IMAGE.format(template.imageId());
        if (templates.imageInUse(template.imageId())) {
            LOG.log(System.Logger.Level.INFO, "image {0} stays: sandboxes or snapshots still sit on it", image);
            return;
        }
        try {
            hosts.require(template.hostId()).snapshots().deleteImage(image);
            templates.forgetImage(template.imageId());
        } catch (HostException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete image {0}: {1}", image, e.getMessage());
        }
    }

    /** Deletes the images no template points at that nothing uses any more. Never throws: what fails waits. */
    public void collect() {
        for (TemplateRepository.OrphanImage orphan : templates.orphanImages()) {
            String image = Ids.IMAGE.format(orphan.imageId());
            try {
                hosts.require(orphan.hostId()).snapshots().deleteImage(image);
                templates.forgetImage(orphan.imageId());
                LOG.log(System.Logger.Level.INFO, "image {0} deleted: its template is gone and nothing uses it", image);
            } catch (HostException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete image {0} (the next collection will): {1}", image,
                        e.getMessage());
            }
        }
    }
}
