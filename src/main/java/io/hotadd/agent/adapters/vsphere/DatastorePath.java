package io.hotadd.agent.adapters.vsphere;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A datastore path as vSphere writes it, {@code [datastore] folder/file.ext}. */
record DatastorePath(String datastore, String path) {

    private static final Pattern FORM = Pattern.compile("\\[([^\\]]+)]\\s*(.+)");

    static DatastorePath parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches() || m.group(2).isBlank()) {
            throw new IllegalArgumentException("'" + text + "' is not a datastore path; expected"
                    + " '[datastore] folder/file'");
        }
        return new DatastorePath(m.group(1), m.group(2).replaceFirst("^/+", ""));
    }

    /** The path for vCenter's file service: each segment percent-encoded, slashes kept. */
    String encodedPath() {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (encoded.length() > 0) {
                encoded.append('/');
            }
            encoded.append(encode(segment));
        }
        return encoded.toString();
    }

    /** Percent-encoding for a URL path segment or query value (a space is %20, never +). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "[" + datastore + "] " + path;
    }
}
