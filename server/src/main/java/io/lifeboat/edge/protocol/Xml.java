package io.lifeboat.edge.protocol;

/** The few XML writing needs of the query protocols: escaping text and attribute values. */
final class Xml {
    private Xml() {
    }

    static StringBuilder text(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\r' -> sb.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append("&#").append((int) c).append(';');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb;
    }
}
