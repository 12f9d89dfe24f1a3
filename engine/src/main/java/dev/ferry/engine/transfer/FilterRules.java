package dev.ferry.engine.transfer;

import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Include and exclude filters in DataSync's syntax: patterns separated by {@code |}; a pattern
 * that starts with {@code /} is a path from the location root, and a path names the entry and
 * everything under it; {@code *} matches any run of characters. Beyond DataSync, {@code *} may
 * stand anywhere in both lists, and a pattern without a leading {@code /} (such as
 * {@code *.tmp}) matches names at any depth. An exclude wins over an include.
 *
 * <p>Includes also tell a listing which directories it need not enter at all
 * ({@link #descend}), so they prune the walk instead of filtering after it.
 */
public final class FilterRules implements ListingScope {
    public static final int MAX_LENGTH = 102_400;
    public static final FilterRules NONE = new FilterRules("", "", List.of(), List.of());

    private record Rule(String text, boolean anchored, Pattern regex, String literalPrefix) {
    }

    private final String includes;
    private final String excludes;
    private final List<Rule> includeRules;
    private final List<Rule> excludeRules;

    private FilterRules(String includes, String excludes, List<Rule> includeRules, List<Rule> excludeRules) {
        this.includes = includes;
        this.excludes = excludes;
        this.includeRules = includeRules;
        this.excludeRules = excludeRules;
    }

    /**
     * @param includes {@code |}-separated patterns, or empty for everything
     * @param excludes {@code |}-separated patterns, or empty for nothing
     * @throws InvalidOptionException naming {@code includes} or {@code excludes}
     */
    public static FilterRules parse(String includes, String excludes) {
        String in = includes == null ? "" : includes;
        String ex = excludes == null ? "" : excludes;
        if (in.isEmpty() && ex.isEmpty()) {
            return NONE;
        }
        return new FilterRules(in, ex, compile("includes", in), compile("excludes", ex));
    }

    private static List<Rule> compile(String field, String patterns) {
        List<Rule> rules = new ArrayList<>();
        if (patterns.isEmpty()) {
            return rules;
        }
        if (patterns.length() > MAX_LENGTH) {
            throw new InvalidOptionException(field, "is longer than " + MAX_LENGTH + " characters");
        }
        for (String pattern : patterns.split("\\|", -1)) {
            rules.add(compileOne(field, pattern));
        }
        return rules;
    }

    private static Rule compileOne(String field, String pattern) {
        if (pattern.isEmpty()) {
            throw new InvalidOptionException(field, "has an empty pattern (two '|' in a row, or one at an end)");
        }
        if (pattern.indexOf('\0') >= 0 || pattern.contains("\n")) {
            throw new InvalidOptionException(field, "pattern '" + pattern.replace("\0", "\\0") + "' contains NUL or a newline");
        }
        boolean anchored = pattern.startsWith("/");
        String body = pattern;
        if (anchored) {
            String path = trimTrailingSlash(pattern);
            for (String segment : path.substring(1).split("/", -1)) {
                if (segment.isEmpty() && !path.equals("/")) {
                    throw new InvalidOptionException(field, "pattern '" + pattern + "' has an empty path segment");
                }
                if (segment.equals(".") || segment.equals("..")) {
                    throw new InvalidOptionException(field, "pattern '" + pattern + "' has a '" + segment + "' segment");
                }
            }
            body = path;
        } else if (pattern.contains("/")) {
            throw new InvalidOptionException(field, "pattern '" + pattern
                    + "' must start with '/' (a path from the location root) or contain no '/' (a name at any depth)");
        }
        StringBuilder regex = new StringBuilder();
        int star = body.indexOf('*');
        String[] pieces = body.split("\\*", -1);
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!pieces[i].isEmpty()) {
                regex.append(Pattern.quote(pieces[i]));
            }
        }
        return new Rule(pattern, anchored, Pattern.compile(regex.toString(), Pattern.DOTALL), star < 0 ? body : body.substring(0, star));
    }

    private static String trimTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public boolean isEmpty() {
        return includeRules.isEmpty() && excludeRules.isEmpty();
    }

    public String includes() {
        return includes;
    }

    public String excludes() {
        return excludes;
    }

    /** Whether the entry at {@code key} takes part in the transfer. */
    public boolean includes(String key) {
        if (isEmpty()) {
            return true;
        }
        String path = "/" + (Keys.isDirectory(key) ? key.substring(0, key.length() - 1) : key);
        if (matchesSelfOrAncestor(excludeRules, path)) {
            return false;
        }
        if (includeRules.isEmpty() || matchesSelfOrAncestor(includeRules, path)) {
            return true;
        }
        return Keys.isDirectory(key) && mayContainMatch(path);
    }

    /** Whether a listing should enter directory {@code dirKey}: anything under it could be included. */
    @Override
    public boolean descend(String dirKey) {
        return includes(dirKey);
    }

    private static boolean matchesSelfOrAncestor(List<Rule> rules, String path) {
        for (Rule rule : rules) {
            if (rule.anchored()) {
                for (int slash = path.indexOf('/', 1); ; slash = path.indexOf('/', slash + 1)) {
                    String prefix = slash < 0 ? path : path.substring(0, slash);
                    if (rule.regex().matcher(prefix).matches()) {
                        return true;
                    }
                    if (slash < 0) {
                        break;
                    }
                }
            } else {
                for (String name : path.substring(1).split("/")) {
                    if (rule.regex().matcher(name).matches()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether some include pattern could match a path strictly under directory {@code path}. */
    private boolean mayContainMatch(String path) {
        String under = path + "/";
        for (Rule rule : includeRules) {
            if (!rule.anchored()) {
                return true;
            }
            String literal = rule.literalPrefix();
            if (literal.startsWith(under) || under.startsWith(literal) && rule.text().contains("*")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "includes='" + includes + "' excludes='" + excludes + "'";
    }
}
