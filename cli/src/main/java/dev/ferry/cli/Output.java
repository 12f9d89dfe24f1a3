package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints API answers as the API's JSON, or as a table of chosen columns. */
final class Output {
    enum Format { table, json }

    private Output() {
    }

    static void print(PrintStream out, Format format, JsonNode node, List<String> columns) {
        if (format == Format.json) {
            try {
                out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliException(e.getMessage());
            }
            return;
        }
        List<JsonNode> rows = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(rows::add);
        } else {
            rows.add(node);
        }
        int[] widths = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        String[] header = columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new);
        cells.add(header);
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> text(at(row, c))).toArray(String[]::new));
        }
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s  ", line[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** A column may name a nested field, as in {@code schedule.status}. */
    private static JsonNode at(JsonNode row, String column) {
        JsonNode node = row;
        for (String part : column.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
