package jp.otpgateway.gateway.shared.adapter.persistence;

import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Reading and binding the column types every repository uses. */
public final class Rows {

    private Rows() {
    }

    public static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }

    public static Optional<Instant> optionalInstant(Readable row, String column) {
        return Optional.ofNullable(row.get(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    public static Optional<String> optionalText(Readable row, String column) {
        return Optional.ofNullable(row.get(column, String.class));
    }

    public static int integer(Readable row, String column) {
        return row.get(column, Number.class).intValue();
    }

    public static long number(Readable row, String column) {
        return row.get(column, Number.class).longValue();
    }

    /** A bytea column, whichever of ByteBuffer or byte[] the driver hands over. */
    public static byte[] bytes(Readable row, String column) {
        Object value = row.get(column);
        if (value instanceof ByteBuffer buffer) {
            byte[] out = new byte[buffer.remaining()];
            buffer.duplicate().get(out);
            return out;
        }
        return (byte[]) value;
    }
}
