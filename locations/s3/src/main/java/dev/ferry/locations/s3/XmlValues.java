package dev.ferry.locations.s3;

import java.util.Optional;

/**
 * Reads the text of an element from the small XML documents S3 answers with (an upload id, an
 * ETag, an error code): the first element of that name, entities decoded. Not a general parser:
 * these documents have no CDATA or comments where the values are.
 */
final class XmlValues {
    private XmlValues() {
    }

    static Optional<String> first(String xml, String element) {
        String open = "<" + element + ">";
        int start = xml.indexOf(open);
        if (start < 0) {
            return Optional.empty();
        }
        start += open.length();
        int end = xml.indexOf("</" + element + ">", start);
        return end < 0 ? Optional.empty() : Optional.of(unescape(xml.substring(start, end)));
    }

    /** The name of the document's root element, after any XML declaration. */
    static String root(String xml) {
        int at = 0;
        while ((at = xml.indexOf('<', at)) >= 0 && at + 1 < xml.length() && (xml.charAt(at + 1) == '?' || xml.charAt(at + 1) == '!')) {
            at++;
        }
        if (at < 0) {
            return "";
        }
        int end = at + 1;
        while (end < xml.length() && !Character.isWhitespace(xml.charAt(end)) && xml.charAt(end) != '>' && xml.charAt(end) != '/') {
            end++;
        }
        return xml.substring(at + 1, end);
    }

    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int semi = c == '&' ? text.indexOf(';', i) : -1;
            if (semi < 0) {
                out.append(c);
                continue;
            }
            String entity = text.substring(i + 1, semi);
            switch (entity) {
                case "quot" -> out.append('"');
                case "amp" -> out.append('&');
                case "lt" -> out.append('<');
                case "gt" -> out.append('>');
                case "apos" -> out.append('\'');
                default -> {
                    if (entity.startsWith("#x") || entity.startsWith("#X")) {
                        out.appendCodePoint(Integer.parseInt(entity.substring(2), 16));
                    } else if (entity.startsWith("#")) {
                        out.appendCodePoint(Integer.parseInt(entity.substring(1)));
                    } else {
                        out.append(text, i, semi + 1);
                    }
                }
            }
            i = semi;
        }
        return out.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
