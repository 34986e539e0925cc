package jp.otpgateway.tenant.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found in one file so far, kept in line order. */
final class Problems {

    private final String file;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String path, String message) {
        found.add(new ConfigProblem(file, line, path, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<ConfigProblem> sorted() {
        List<ConfigProblem> copy = new ArrayList<>(found);
        copy.sort(Comparator.comparingInt(ConfigProblem::line));
        return copy;
    }
}
