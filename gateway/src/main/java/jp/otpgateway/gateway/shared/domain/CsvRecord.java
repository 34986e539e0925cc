package jp.otpgateway.gateway.shared.domain;

import java.util.List;

/** One record of an uploaded CSV file: its fields as written and the physical line it starts on. */
public record CsvRecord(long line, List<String> fields) {

    public CsvRecord {
        fields = List.copyOf(fields);
    }

    /** A line with nothing on it (or only empty fields of one column). */
    public boolean blank() {
        return fields.isEmpty() || fields.size() == 1 && fields.get(0).isBlank();
    }
}
