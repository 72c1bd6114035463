package city.hotline.hub.channel.board;

import city.hotline.hub.channel.generic.PageReader;
import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import org.springframework.stereotype.Component;

/**
 * The board API's answers for the {@code http-poll} kind ({@code reader: boardApiReader}): its envelope
 * ({@code result}, {@code resultDesc}), firewall answers and thread checks are more than the kind's JSONata
 * properties say (BoardApiPages).
 */
@Component("boardApiReader")
public class BoardApiReader implements PageReader {

    @Override
    public PolledPage read(Request request, int status, String body) throws PollFailure {
        // the source is the forum id (fid), filled into threads that lack it
        return BoardApiPages.parse(request.source(), status, body);
    }
}
