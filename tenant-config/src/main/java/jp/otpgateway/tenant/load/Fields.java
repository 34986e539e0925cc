package jp.otpgateway.tenant.load;

import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML mapping of a tenant file, field by field, recording a problem with its line for
 * every value that is missing, of the wrong type or out of range, and at {@link #finish()} for every
 * key nobody asked for (a typo must not silently fall back to a default). Duplicate keys are
 * problems too. A field with a problem yields its default so that reading goes on and every
 * problem of the file is reported at once.
 */
final class Fields {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9][0-9_]*");

    private final Problems problems;
    private final String path;
    private final int line;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> read = new java.util.HashSet<>();

    private Fields(Problems problems, String path, int line) {
        this.problems = problems;
        this.path = path;
        this.line = line;
    }

    /** The mapping at {@code node}; anything else is a problem and reads as an empty mapping. */
    static Fields of(Problems problems, String path, Node node) {
        Fields fields = new Fields(problems, path, lineOf(node));
        if (!(node instanceof MappingNode mapping)) {
            problems.add(fields.line, path, "expected a mapping of keys to values");
            return fields;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                problems.add(lineOf(keyNode), path, "keys must be plain names");
                continue;
            }
            String key = scalarKey.getValue();
            NodeTuple first = fields.entries.putIfAbsent(key, tuple);
            if (first != null) {
                problems.add(lineOf(keyNode), fields.child(key),
                        "duplicate key (first given at line " + lineOf(first.getKeyNode()) + ")");
            }
        }
        return fields;
    }

    /** A section that is absent from the file: every field takes its default. */
    static Fields absent(Problems problems, String path, int line) {
        return new Fields(problems, path, line);
    }

    static int lineOf(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    Problems problems() {
        return problems;
    }

    void problemAtLine(int atLine, String atPath, String message) {
        problems.add(atLine, atPath, message);
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** All keys of this mapping, in file order; they count as read. */
    List<String> keys() {
        read.addAll(entries.keySet());
        return List.copyOf(entries.keySet());
    }

    Optional<Node> node(String key) {
        read.add(key);
        NodeTuple tuple = entries.get(key);
        return tuple == null ? Optional.empty() : Optional.of(tuple.getValueNode());
    }

    int keyLine(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? line : lineOf(tuple.getKeyNode());
    }

    void problem(String key, String message) {
        NodeTuple tuple = entries.get(key);
        problems.add(tuple == null ? line : lineOf(tuple.getValueNode()), child(key), message);
    }

    Fields section(String key) {
        return node(key).map(n -> of(problems, child(key), n)).orElseGet(() -> absent(problems, child(key), line));
    }

    Optional<String> optionalText(String key) {
        return node(key).flatMap(n -> scalar(key, n, "a text value"));
    }

    String requiredText(String key) {
        Optional<String> text = optionalText(key);
        if (text.isEmpty() && !entries.containsKey(key)) {
            problems.add(line, child(key), "is required");
        }
        return text.orElse("");
    }

    String text(String key, Pattern pattern, String expected, String defaultValue) {
        Optional<String> text = optionalText(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        if (!pattern.matcher(text.get()).matches()) {
            problem(key, "'" + text.get() + "' is not valid; expected " + expected);
            return defaultValue;
        }
        return text.get();
    }

    int integer(String key, int defaultValue, int min, int max) {
        return (int) number(key, defaultValue, min, max);
    }

    long number(String key, long defaultValue, long min, long max) {
        Optional<Node> node = node(key);
        if (node.isEmpty()) {
            return defaultValue;
        }
        Optional<Long> value = wholeNumber(key, node.get(), min, max);
        return value.orElse(defaultValue);
    }

    /** An integer scalar in [min, max], or a problem naming the range. */
    Optional<Long> wholeNumber(String key, Node node, long min, long max) {
        String where = key;
        if (!(node instanceof ScalarNode scalar) || !Tag.INT.equals(scalar.getTag())
                || !WHOLE_NUMBER.matcher(scalar.getValue()).matches()) {
            problemAt(node, where, "expected a whole number between " + min + " and " + max);
            return Optional.empty();
        }
        long value;
        try {
            value = Long.parseLong(scalar.getValue().replace("_", ""));
        } catch (NumberFormatException tooLarge) {
            problemAt(node, where, "expected a whole number between " + min + " and " + max);
            return Optional.empty();
        }
        if (value < min || value > max) {
            problemAt(node, where, value + " is out of range; expected " + min + " to " + max);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    boolean bool(String key, boolean defaultValue) {
        Optional<Node> node = node(key);
        if (node.isEmpty()) {
            return defaultValue;
        }
        if (node.get() instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())
                && (scalar.getValue().equals("true") || scalar.getValue().equals("false"))) {
            return Boolean.parseBoolean(scalar.getValue());
        }
        problem(key, "expected true or false");
        return defaultValue;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        return enumValue(key, type, defaultValue, Enum::name);
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue, Function<E, String> spelling) {
        Optional<Node> node = node(key);
        if (node.isEmpty()) {
            return defaultValue;
        }
        return enumOf(key, node.get(), type, spelling).orElse(defaultValue);
    }

    <E extends Enum<E>> Optional<E> enumOf(String key, Node node, Class<E> type, Function<E, String> spelling) {
        String expected = Arrays.stream(type.getEnumConstants()).map(spelling).collect(Collectors.joining(", "));
        Optional<String> text = node instanceof ScalarNode scalar ? Optional.of(scalar.getValue()) : Optional.empty();
        for (E constant : type.getEnumConstants()) {
            if (text.isPresent() && spelling.apply(constant).equals(text.get())) {
                return Optional.of(constant);
            }
        }
        problemAt(node, key, text.map(t -> "'" + t + "' is not valid; ").orElse("") + "expected one of " + expected);
        return Optional.empty();
    }

    Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Optional<String> text = optionalText(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> value = Spans.duration(text.get());
        if (value.isEmpty()) {
            problem(key, "'" + text.get() + "' is not a duration; expected a number and a unit s, m, h or d, like 30m or 90d");
            return defaultValue;
        }
        if (value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0) {
            problem(key, text.get() + " is out of range; expected " + Spans.format(min) + " to " + Spans.format(max));
            return defaultValue;
        }
        return value.get();
    }

    Period period(String key, Period defaultValue, int minDays, int maxYears) {
        Optional<String> text = optionalText(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Optional<Period> value = Spans.period(text.get());
        if (value.isEmpty()) {
            problem(key, "'" + text.get() + "' is not a period; expected a number and a unit d or y, like 90d or 5y");
            return defaultValue;
        }
        Period p = value.get();
        if ((p.getYears() == 0 && p.getDays() < minDays) || p.getYears() > maxYears
                || (p.getYears() == 0 && p.getDays() > maxYears * 366)) {
            problem(key, text.get() + " is out of range; expected " + minDays + "d to " + maxYears + "y");
            return defaultValue;
        }
        return p;
    }

    /** The items of a list value; a non-list is a problem and reads as absent. */
    Optional<List<Node>> list(String key) {
        Optional<Node> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (node.get() instanceof SequenceNode sequence) {
            return Optional.of(new ArrayList<>(sequence.getValue()));
        }
        problem(key, "expected a list");
        return Optional.empty();
    }

    void problemAt(Node node, String keyOrIndexPath, String message) {
        problems.add(lineOf(node), keyOrIndexPath.startsWith("[") ? path + keyOrIndexPath : child(keyOrIndexPath), message);
    }

    /** Reports every key of this mapping that no reader asked for. */
    void finish() {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!read.contains(entry.getKey())) {
                String known = read.stream().sorted().collect(Collectors.joining(", "));
                problems.add(lineOf(entry.getValue().getKeyNode()), child(entry.getKey()),
                        "unknown key; expected one of " + known);
            }
        }
    }

    private Optional<String> scalar(String key, Node node, String expected) {
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
            return Optional.of(scalar.getValue());
        }
        problem(key, "expected " + expected);
        return Optional.empty();
    }
}
