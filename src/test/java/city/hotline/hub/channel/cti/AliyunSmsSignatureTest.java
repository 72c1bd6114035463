package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AliyunSmsSignatureTest {

    /** The worked example of Aliyun's RPC signature documentation (DescribeRegions, secret "testsecret"). */
    @Test
    void signsAliyunsDocumentedExample() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Timestamp", "2016-02-23T12:46:24Z");
        params.put("Format", "XML");
        params.put("AccessKeyId", "testid");
        params.put("Action", "DescribeRegions");
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        params.put("Version", "2014-05-26");
        params.put("SignatureVersion", "1.0");
        assertThat(AliyunSmsSignature.stringToSign("GET", params)).isEqualTo("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"
                + "%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
                + "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
        assertThat(AliyunSmsSignature.sign("GET", params, "testsecret")).isEqualTo("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    @Test
    void percentEncodesTheRfc3986Way() {
        assertThat(AliyunSmsSignature.percentEncode("a b*c~d+é")).isEqualTo("a%20b%2Ac~d%2B%C3%A9");
    }
}
