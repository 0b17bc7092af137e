package dev.amber.host.durable;

import dev.amber.host.image.GuestImage;
import dev.amber.host.snapshot.FileDigest;
import dev.amber.store.FileRecipe;

import java.io.IOException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * This host's guest image root disk, as a stored chain's bottom layer may match it: hosts built
 * from one recipe have one image key but not always the same bytes, so a layer is taken as this
 * image only when length and SHA-256 agree (hashed once, on first need).
 */
final class LocalImage {

    private final GuestImage image;
    private volatile FileDigest digest;

    LocalImage(GuestImage image) {
        this.image = requireNonNull(image, "image");
    }

    Path rootDisk() {
        return image.rootDisk();
    }

    boolean matches(FileRecipe layer) throws IOException {
        FileDigest own = digest;
        if (own == null) {
            own = FileDigest.of(image.rootDisk());
            digest = own;
        }
        return own.bytes() == layer.bytes() && own.sha256().equals(layer.sha256());
    }
}
