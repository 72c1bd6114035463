package city.hotline.hub.channel.weixin;

import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads WeChat's flat {@code <xml>...</xml>} messages with the JDK's DOM parser, hardened against
 * XXE: DOCTYPE declarations are refused outright, external entities and DTD loading are off and
 * secure processing is on, so a payload with an entity is rejected before anything is resolved.
 * The JDK parser rather than jackson-dataformat-xml: it is not in the build (nor in the local
 * repository), and the messages are one level of elements.
 */
public final class WeixinXml {

    private static final DocumentBuilderFactory FACTORY = secureFactory();

    private WeixinXml() {
    }

    private static DocumentBuilderFactory secureFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
        }
    }

    /**
     * The root element's children as a JSON object of texts ({@code <MsgId>123</MsgId>} becomes
     * {@code "MsgId":"123"}: numbers stay exact text). A child with element children becomes a
     * nested object.
     *
     * @throws IllegalArgumentException naming the problem when the text is not such a document
     */
    public static ObjectNode read(String xml) {
        Document doc;
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            doc = builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            throw new IllegalArgumentException("unreadable XML: " + e.getMessage());
        } catch (java.io.IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException("unreadable XML: " + e.getMessage());
        }
        return children(doc.getDocumentElement());
    }

    private static ObjectNode children(Element parent) {
        ObjectNode out = Json.object();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e) {
                if (hasElementChildren(e)) {
                    out.set(e.getTagName(), children(e));
                } else {
                    out.put(e.getTagName(), e.getTextContent());
                }
            }
        }
        return out;
    }

    private static boolean hasElementChildren(Element e) {
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the parser from printing to stderr; the exception carries the message. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
