package dev.amber.host.durable;

import dev.amber.host.image.Qcow2Header;
import dev.amber.store.LocalFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files one saved state is made of, as the store names them: those of its directory, then the
 * layers its disk sits on, top to bottom, as {@code chain/0.qcow2}, {@code chain/1.qcow2}, …
 * (down to the guest or template image, so a host with another image build still has every byte).
 */
final class StateFiles {

    static final String CHAIN = "chain/";

    private StateFiles() {}

    /** {@code names} in {@code dir}, then the chain under {@code dir}'s {@code disk}. */
    static List<LocalFile> of(Path dir, List<String> names, Path disk) throws IOException {
        List<LocalFile> files = new ArrayList<>();
        for (String name : names) {
            files.add(new LocalFile(name, dir.resolve(name)));
        }
        int depth = 0;
        for (Optional<Path> layer = Qcow2Header.backingFile(disk); layer.isPresent();
             layer = Qcow2Header.backingFile(layer.get())) {
            files.add(new LocalFile(chainName(depth++), layer.get()));
        }
        return files;
    }

    static String chainName(int depth) {
        return CHAIN + depth + ".qcow2";
    }

    static boolean isChain(String name) {
        return name.startsWith(CHAIN);
    }
}
