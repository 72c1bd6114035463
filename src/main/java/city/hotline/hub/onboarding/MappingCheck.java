package city.hotline.hub.onboarding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.MappingFunctions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Compiles and evaluates JSONata mappings outside a route (dry run, file checks), with the same
 * functions the routes bind ({@link MappingFunctions}), and turns JSONata's errors, which carry a
 * character offset, into a file, line and column.
 */
public final class MappingCheck {

    private MappingCheck() {
    }

    /** @throws ChannelFileError locating the syntax error */
    public static Jsonata compile(String file, String text) {
        try {
            return Jsonata.jsonata(text);
        } catch (JException e) {
            throw locate(file, text, e);
        } catch (RuntimeException e) {
            throw new ChannelFileError(file, 0, 0, "not a JSONata expression: " + e.getMessage());
        }
    }

    /** Evaluates a compiled mapping on a JSON input; the result as JSON (null when the mapping gives nothing). */
    public static JsonNode evaluate(String file, String text, Jsonata expression, JsonNode input, MappingFunctions functions) {
        try {
            Object in = Json.MAPPER.convertValue(input, Object.class);
            Jsonata.Frame frame = expression.createFrame();
            functions.bindToFrame(frame);
            Object out = expression.evaluate(in, frame);
            return out == null ? null : Json.MAPPER.valueToTree(out);
        } catch (JException e) {
            throw locate(file, text, e);
        } catch (RuntimeException e) {
            // a bound function ($utc, $e164) refused a value: no position, the message names the value
            throw new ChannelFileError(file, 0, 0, e.getMessage());
        }
    }

    static ChannelFileError locate(String file, String text, JException e) {
        int[] at = ChannelFileError.position(text, Math.max(0, e.getLocation()));
        String code = e.getError() == null ? "" : " (" + e.getError() + ")";
        return new ChannelFileError(file, at[0], at[1], e.getMessage() + code);
    }

    /** Every located problem of a list of errors, as the API shows them. */
    static List<Map<String, Object>> describe(List<ChannelFileError> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChannelFileError e : errors) {
            out.add(Map.of("file", e.file(), "line", e.line(), "column", e.column(), "problem", e.problem()));
        }
        return out;
    }
}
