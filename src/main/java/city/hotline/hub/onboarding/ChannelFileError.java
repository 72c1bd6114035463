package city.hotline.hub.onboarding;

/**
 * A channel file the hub refuses: which file, where in it (line and column, 1-based; 0 when the
 * problem is the file as a whole) and what is wrong. The message reads like a compiler's,
 * {@code routes/app12345.yaml:7:9: ...}, so an engineer can jump to it.
 */
public class ChannelFileError extends RuntimeException {

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public ChannelFileError(String file, int line, int column, String problem) {
        super(file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }

    /** Line and column (1-based) of a character offset in a text. */
    static int[] position(String text, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
