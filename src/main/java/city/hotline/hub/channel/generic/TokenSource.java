package city.hotline.hub.channel.generic;

/**
 * A bearer token the channel's own code keeps (e.g. Weibo's: given by an operator, shared by every instance in
 * channel_token, replaced after a re-authorisation). Named by the {@code http-poll} kind's {@code authBean}.
 */
public interface TokenSource {

    String token();
}
