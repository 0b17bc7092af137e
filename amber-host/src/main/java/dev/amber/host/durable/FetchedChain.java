package dev.amber.host.durable;

import dev.amber.host.Layout;
import dev.amber.host.fs.FileTrees;
import dev.amber.host.image.QemuImg;
import dev.amber.store.FileRecipe;
import dev.amber.store.StateDownloader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * Puts the layers a fetched disk sits on in place on this host: each in {@code layers/}, named by
 * its stored SHA-256, fetched once and shared by every fetched state on it; a layer whose bytes are
 * this host's own guest image is not fetched at all. Each fetched layer is re-pointed at the one
 * below it as it lies here (only the header changes), bottom first, and appears under its name
 * only once complete.
 */
final class FetchedChain {

    private final Layout layout;
    private final StateDownloader downloader;
    private final LocalImage image;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    FetchedChain(Layout layout, StateDownloader downloader, LocalImage image) {
        this.layout = requireNonNull(layout, "layout");
        this.downloader = requireNonNull(downloader, "downloader");
        this.image = requireNonNull(image, "image");
    }

    /** Places {@code chain} (top first) and returns the path of its top layer here. */
    Path place(List<FileRecipe> chain, String whose) throws IOException {
        Path below = null;
        for (int depth = chain.size() - 1; depth >= 0; depth--) {
            below = placeLayer(chain.get(depth), below, whose);
        }
        return below;
    }

    private Path placeLayer(FileRecipe layer, Path below, String whose) throws IOException {
        if (below == null && image.matches(layer)) {
            return image.rootDisk();
        }
        Path target = layout.layer(layer.sha256());
        synchronized (locks.computeIfAbsent(layer.sha256(), sha -> new Object())) {
            if (Files.exists(target)) {
                return target;
            }
            Path staging = layout.layers().resolve(".fetch-" + UUID.randomUUID());
            try {
                Path file = staging.resolve(target.getFileName());
                downloader.fetch(layer, file, whose); // every chunk checked against its hash
                if (below != null) {
                    QemuImg.repoint(file, below);
                }
                file.toFile().setReadOnly();
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.deleteTree(staging);
            }
            return target;
        }
    }
}
