package dev.amber.host.image;

import java.io.IOException;

/** No template image with that id exists on this host. */
public final class ImageNotFoundException extends IOException {
    public ImageNotFoundException(String message) {
        super(message);
    }
}
