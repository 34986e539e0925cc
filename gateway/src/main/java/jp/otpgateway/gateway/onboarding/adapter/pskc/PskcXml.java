package jp.otpgateway.gateway.onboarding.adapter.pskc;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import jp.otpgateway.gateway.onboarding.domain.PskcDelivery;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.Encrypted;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.KeyPackage;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.Secret;

/**
 * Reads a PSKC key container (RFC 6030) into a {@link PskcDocument}, hardened against hostile XML:
 * no DTD at all (a DOCTYPE refuses the file, so neither internal entities — the billion laughs —
 * nor external ones — XXE — can be declared), no external entities, at most {@value #MAX_DEPTH}
 * levels of nesting and {@value #MAX_ELEMENTS} elements; the size is bounded by the caller. Elements
 * are matched by namespace (PSKC, xmldsig, xenc, xenc11) and local name; PBKDF2's parameters by
 * local name only, as python-pskc writes them without a namespace.
 */
public final class PskcXml {

    static final String PSKC = "urn:ietf:params:xml:ns:keyprov:pskc";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final int MAX_DEPTH = 32;
    static final int MAX_ELEMENTS = 2_000_000;

    private PskcXml() {
    }

    /** The file is not a PSKC container we can read; {@code getMessage()} says why, never a secret. */
    public static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason);
        }
    }

    /** An element of the file: namespace, local name, attributes, text, children, the line it starts on. */
    private record Node(String ns, String name, Map<String, String> attributes, StringBuilder text, List<Node> children,
                        int line) {

        Optional<Node> child(String namespace, String local) {
            return children.stream().filter(c -> c.name.equals(local) && (namespace == null || namespace.equals(c.ns)))
                    .findFirst();
        }

        List<Node> all(String namespace, String local) {
            return children.stream().filter(c -> c.name.equals(local) && namespace.equals(c.ns)).toList();
        }

        Optional<Node> path(String namespace, String... locals) {
            Optional<Node> at = Optional.of(this);
            for (String local : locals) {
                at = at.flatMap(n -> n.child(namespace, local));
            }
            return at;
        }

        String value() {
            return text.toString().strip();
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    public static PskcDocument read(byte[] xml) throws Malformed {
        Node root = tree(xml);
        if (!PSKC.equals(root.ns) || !root.name.equals("KeyContainer")) {
            throw new Malformed("the root element is not pskc:KeyContainer");
        }
        PskcDocument.Protection protection = protection(root.child(PSKC, "EncryptionKey"));
        Optional<PskcDocument.MacMethod> mac = Optional.empty();
        Optional<Node> macMethod = root.child(PSKC, "MACMethod");
        if (macMethod.isPresent()) {
            Node key = macMethod.get().child(PSKC, "MACKey")
                    .orElseThrow(() -> new Malformed("MACMethod has no MACKey"));
            mac = Optional.of(new PskcDocument.MacMethod(attribute(macMethod.get(), "Algorithm"), encrypted(key)));
        }
        List<KeyPackage> packages = new ArrayList<>();
        for (Node p : root.all(PSKC, "KeyPackage")) {
            packages.add(keyPackage(p));
        }
        if (packages.isEmpty()) {
            throw new Malformed("the container holds no KeyPackage");
        }
        return new PskcDocument(protection, mac, packages);
    }

    private static PskcDocument.Protection protection(Optional<Node> encryptionKey) throws Malformed {
        if (encryptionKey.isEmpty()) {
            return new PskcDocument.Protection.None();
        }
        Optional<Node> keyName = encryptionKey.get().child(DS, "KeyName");
        if (keyName.isPresent()) {
            return new PskcDocument.Protection.PreSharedKey(keyName.get().value());
        }
        Optional<Node> method = encryptionKey.get().path(XENC11, "DerivedKey", "KeyDerivationMethod");
        if (method.isPresent()) {
            if (!PskcDelivery.PBKDF2.equals(attribute(method.get(), "Algorithm"))) {
                throw new Malformed("the key derivation method is not PBKDF2");
            }
            Node params = method.get().child(null, "PBKDF2-params")
                    .orElseThrow(() -> new Malformed("PBKDF2 without PBKDF2-params"));
            byte[] salt = base64(params.child(null, "Salt").flatMap(s -> s.child(null, "Specified"))
                    .orElseThrow(() -> new Malformed("PBKDF2 without Salt/Specified")), "Salt");
            int iterations = number(params.child(null, "IterationCount"), "IterationCount");
            int keyLength = number(params.child(null, "KeyLength"), "KeyLength");
            String prf = params.child(null, "PRF").map(n -> n.attributes.get("Algorithm")).orElse(null);
            return new PskcDocument.Protection.Password(salt, iterations, keyLength, prf);
        }
        throw new Malformed("EncryptionKey names neither a pre-shared key (ds:KeyName) nor a PBKDF2 key");
    }

    private static KeyPackage keyPackage(Node p) throws Malformed {
        String serial = p.path(PSKC, "DeviceInfo", "SerialNo").map(Node::value).orElse(null);
        Optional<Node> key = p.child(PSKC, "Key");
        if (key.isEmpty()) {
            return new KeyPackage(p.line, serial, null, null, null, null, null, null, null, new Secret.Missing());
        }
        Node k = key.get();
        Optional<Node> format = k.path(PSKC, "AlgorithmParameters", "ResponseFormat");
        Integer digits = format.map(f -> f.attributes.get("Length")).map(PskcXml::lenient).orElse(null);
        String encoding = format.map(f -> f.attributes.get("Encoding")).orElse(null);
        String suite = k.path(PSKC, "AlgorithmParameters", "Suite").map(Node::value).orElse(null);
        Integer interval = k.path(PSKC, "Data", "TimeInterval", "PlainValue").map(Node::value).map(PskcXml::lenient)
                .orElse(null);
        Long time = k.path(PSKC, "Data", "Time", "PlainValue").map(Node::value)
                .map(t -> t.matches("-?[0-9]{1,18}") ? Long.parseLong(t) : -1L).orElse(null);
        String expiry = k.path(PSKC, "Policy", "ExpiryDate")
                .or(() -> p.path(PSKC, "DeviceInfo", "ExpiryDate")).map(Node::value).orElse(null);
        return new KeyPackage(p.line, serial, attribute(k, "Algorithm"), suite, digits, encoding, interval, time,
                expiry, secret(k.path(PSKC, "Data", "Secret"), p.line));
    }

    private static Secret secret(Optional<Node> secret, int line) throws Malformed {
        if (secret.isEmpty()) {
            return new Secret.Missing();
        }
        Optional<Node> plain = secret.get().child(PSKC, "PlainValue");
        if (plain.isPresent()) {
            return new Secret.Plain(base64(plain.get(), "PlainValue at line " + line));
        }
        Optional<Node> value = secret.get().child(PSKC, "EncryptedValue");
        if (value.isPresent()) {
            Optional<Node> mac = secret.get().child(PSKC, "ValueMAC");
            return new Secret.Sealed(encrypted(value.get()),
                    mac.isPresent() ? base64(mac.get(), "ValueMAC at line " + line) : null);
        }
        return new Secret.Missing();
    }

    private static Encrypted encrypted(Node value) throws Malformed {
        Node method = value.child(XENC, "EncryptionMethod")
                .orElseThrow(() -> new Malformed("an encrypted value at line " + value.line + " has no EncryptionMethod"));
        Node cipher = value.path(XENC, "CipherData", "CipherValue")
                .orElseThrow(() -> new Malformed("an encrypted value at line " + value.line + " has no CipherValue"));
        return new Encrypted(attribute(method, "Algorithm"), base64(cipher, "CipherValue at line " + cipher.line));
    }

    private static String attribute(Node node, String name) throws Malformed {
        String value = node.attributes.get(name);
        if (value == null) {
            throw new Malformed(node.name + " at line " + node.line + " has no " + name);
        }
        return value;
    }

    /** Strict base64 (line breaks and blanks between groups allowed, nothing else): a seed is never guessed at. */
    private static byte[] base64(Node node, String what) throws Malformed {
        try {
            return Base64.getDecoder().decode(node.value().replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new Malformed(what + " is not base64");
        }
    }

    private static int number(Optional<Node> node, String what) throws Malformed {
        Integer n = node.map(Node::value).map(PskcXml::lenient).orElse(null);
        if (n == null || n < 0) {
            throw new Malformed(what + " is missing or not a number");
        }
        return n;
    }

    /** A number, or -1 where the file wrote something else (the token's check then names the field). */
    private static Integer lenient(String text) {
        return text.strip().matches("[0-9]{1,9}") ? Integer.parseInt(text.strip()) : -1;
    }

    /** The whole file as a tree of elements, read with a hardened StAX reader. */
    private static Node tree(byte[] xml) throws Malformed {
        XMLStreamReader r = null;
        try {
            r = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
            List<Node> open = new ArrayList<>();
            Node root = null;
            int elements = 0;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD ->
                            throw new Malformed("a DOCTYPE is not allowed (no DTD, no entities)");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new Malformed("entity references are not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > MAX_ELEMENTS) {
                            throw new Malformed("more than " + MAX_ELEMENTS + " elements");
                        }
                        if (open.size() >= MAX_DEPTH) {
                            throw new Malformed("nested deeper than " + MAX_DEPTH + " levels");
                        }
                        Map<String, String> attributes = new HashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attributes.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        Node node = new Node(r.getNamespaceURI() == null ? "" : r.getNamespaceURI(), r.getLocalName(),
                                attributes, new StringBuilder(), new ArrayList<>(), r.getLocation().getLineNumber());
                        if (open.isEmpty()) {
                            root = node;
                        } else {
                            open.get(open.size() - 1).children.add(node);
                        }
                        open.add(node);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!open.isEmpty()) {
                            open.get(open.size() - 1).text.append(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> open.remove(open.size() - 1);
                    default -> {
                    }
                }
            }
            if (root == null) {
                throw new Malformed("the file holds no element");
            }
            return root;
        } catch (XMLStreamException e) {
            throw new Malformed("not well-formed XML: " + firstLine(e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release but the reader's own state
                }
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(message).strip();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
