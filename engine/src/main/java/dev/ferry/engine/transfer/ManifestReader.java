package dev.ferry.engine.transfer;

import dev.ferry.locations.LocationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The paths of a manifest: a CSV file (RFC 4180: a field with commas, quotes or line breaks is
 * quoted, a quote inside doubled) whose first column is a path relative to the source root, with
 * or without a leading {@code /}. Further columns (an object version) are read past. Blank lines
 * are skipped, a UTF-8 byte-order mark is ignored. One record is held at a time, so a manifest of
 * any length streams.
 */
final class ManifestReader implements Iterator<ManifestReader.Line>, AutoCloseable {
    /** Longer first fields are refused: no key is longer than 1,024 bytes anyway. */
    static final int MAX_FIELD_CHARS = 4096;

    /** One manifest entry and the line it starts on, for error messages. */
    record Line(int number, String path) {
    }

    private final BufferedReader in;
    private final String name;
    private int lineNumber = 1;
    private Line next;
    private boolean ended;

    ManifestReader(InputStream content, String name) {
        this.in = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        this.name = name;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !ended) {
            next = readRecord();
        }
        return next != null;
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line line = next;
        next = null;
        return line;
    }

    /** Reads one record; null for a blank line or the end. */
    private Line readRecord() {
        try {
            int start = lineNumber;
            StringBuilder field = new StringBuilder();
            int c = in.read();
            if (start == 1 && c == '\uFEFF') {
                c = in.read();
            }
            if (c == -1) {
                ended = true;
                return null;
            }
            boolean quoted = c == '"';
            if (quoted) {
                while (true) {
                    c = in.read();
                    if (c == -1) {
                        throw bad(start, "a quoted field is not closed");
                    }
                    if (c == '"') {
                        c = in.read();
                        if (c != '"') {
                            break;
                        }
                    } else if (c == '\n') {
                        lineNumber++;
                    }
                    append(field, c, start);
                }
                if (c != ',' && c != '\n' && c != '\r' && c != -1) {
                    throw bad(start, "text after a closing quote");
                }
            } else {
                while (c != ',' && c != '\n' && c != '\r' && c != -1) {
                    if (c == '"') {
                        throw bad(start, "a quote inside an unquoted field (quote the whole field and double the quote)");
                    }
                    append(field, c, start);
                    c = in.read();
                }
            }
            skipRestOfRecord(c);
            if (!quoted && field.toString().isBlank()) {
                return null;
            }
            return new Line(start, field.toString());
        } catch (IOException e) {
            throw new LocationException("INVALID_MANIFEST", name + ": not readable as UTF-8 text: " + e.getMessage(), e);
        }
    }

    /** Skips further columns (quoted or not) up to the end of the record. */
    private void skipRestOfRecord(int c) throws IOException {
        boolean inQuotes = false;
        while (c != -1) {
            if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '\n') {
                lineNumber++;
                if (!inQuotes) {
                    return;
                }
            }
            c = in.read();
        }
        ended = true;
    }

    private void append(StringBuilder field, int c, int line) {
        if (field.length() >= MAX_FIELD_CHARS) {
            throw bad(line, "a path longer than " + MAX_FIELD_CHARS + " characters");
        }
        field.append((char) c);
    }

    private LocationException bad(int line, String what) {
        return new LocationException("INVALID_MANIFEST", name + " line " + line + ": " + what);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
