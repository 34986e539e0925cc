package jp.otpgateway.tenant.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.otpgateway.tenant.model.TenantConfig;

/** Every tenant file of one directory, loaded and validated. */
public final class TenantDirectory {

    private final TenantConfigLoader loader = new TenantConfigLoader();

    /** The outcome for each file, in file-name order. */
    public record Scan(Map<Path, LoadResult> results) {

        public Scan {
            results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
        }

        public Map<String, TenantConfig> valid() {
            Map<String, TenantConfig> valid = new LinkedHashMap<>();
            results.values().forEach(r -> {
                if (r instanceof LoadResult.Valid v) {
                    valid.put(v.config().id(), v.config());
                }
            });
            return valid;
        }

        public List<ConfigProblem> problems() {
            List<ConfigProblem> all = new ArrayList<>();
            results.values().forEach(r -> {
                if (r instanceof LoadResult.Invalid i) {
                    all.addAll(i.problems());
                }
            });
            return all;
        }
    }

    public Scan scan(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Files::isRegularFile).filter(TenantConfigLoader::isTenantFile).sorted().toList();
        }
        Map<Path, LoadResult> results = new LinkedHashMap<>();
        Map<String, Path> byId = new LinkedHashMap<>();
        for (Path file : files) {
            LoadResult result = loader.load(file);
            String id = TenantConfigLoader.expectedId(file);
            Path other = byId.putIfAbsent(id, file);
            if (other != null) {
                result = new LoadResult.Invalid(List.of(new ConfigProblem(file.toString(), 1, "id",
                        "tenant '" + id + "' is already defined by " + other.getFileName())));
            }
            results.put(file, result);
        }
        return new Scan(results);
    }
}
