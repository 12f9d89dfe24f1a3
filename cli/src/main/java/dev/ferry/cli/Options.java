package dev.ferry.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code Name=Value} pairs from the command line, numbers as numbers. */
final class Options {
    private Options() {
    }

    static Map<String, Object> parse(List<String> pairs, String flag) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (pairs == null) {
            return out;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CliException(flag + " takes Name=Value, got '" + pair + "'");
            }
            String value = pair.substring(eq + 1);
            out.put(pair.substring(0, eq), value.matches("-?\\d{1,18}") ? (Object) Long.parseLong(value)
                    : value.equals("true") || value.equals("false") ? (Object) Boolean.parseBoolean(value) : value);
        }
        return out;
    }
}
