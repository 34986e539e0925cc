package jp.otpgateway.gateway.adapter.persistence;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Reading and binding the column types every repository uses. */
final class Rows {

    private Rows() {
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }

    static Optional<Instant> optionalInstant(Readable row, String column) {
        return Optional.ofNullable(row.get(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    static Optional<String> optionalText(Readable row, String column) {
        return Optional.ofNullable(row.get(column, String.class));
    }

    static int integer(Readable row, String column) {
        return row.get(column, Number.class).intValue();
    }

    static long number(Readable row, String column) {
        return row.get(column, Number.class).longValue();
    }
}
