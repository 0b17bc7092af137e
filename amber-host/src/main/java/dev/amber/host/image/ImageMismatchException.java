package dev.amber.host.image;

import java.io.IOException;

/** A template image was made for another guest image: nothing boots from it until it is built again. */
public final class ImageMismatchException extends IOException {
    public ImageMismatchException(String message) {
        super(message);
    }
}
