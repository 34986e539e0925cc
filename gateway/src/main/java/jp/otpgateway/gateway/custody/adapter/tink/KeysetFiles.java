package jp.otpgateway.gateway.custody.adapter.tink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writing a new keyset file: readable by its owner only, never over an existing one, never half-written. */
final class KeysetFiles {

    private KeysetFiles() {
    }

    /** {@code why}: what would be lost by overwriting it, for the refusal's message. */
    static void writeNew(Path file, String json, String why) throws IOException {
        if (Files.exists(file)) {
            throw new IOException(file + " exists; a keyset is never overwritten (" + why + ")");
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".keyset", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file inherits its directory's ACL.
            }
            Files.writeString(tmp, json);
            Files.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
