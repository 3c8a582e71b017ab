package io.multuseni.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * EC2's Query API over HTTP on loopback, for the actions multus-eni calls: form-encoded POST in,
 * EC2's XML out, errors as {@code <Response><Errors><Error>} with EC2's status codes.
 */
public final class Ec2Server implements AutoCloseable {
    private static final String XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final Ec2World world;
    private final HttpServer server;

    public Ec2Server(Ec2World world, int port) throws IOException {
        this.world = world;
        this.server = LoopbackHttp.start(port, 8, "ec2-standin-http", this::handle);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = parseForm(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            String action = params.getOrDefault("Action", "");
            world.roundTrip();
            int status = 200;
            String body;
            try {
                world.admit(action);
                if ("true".equals(params.get("DryRun"))) {
                    throw new Ec2World.Ec2Error(412, "DryRunOperation",
                            "Request would have succeeded, but DryRun flag is set.");
                }
                body = respond(action, dispatch(action, params));
            } catch (Ec2World.Ec2Error e) {
                status = e.status;
                body = errorXml(e);
            } catch (RuntimeException e) {
                // A bug of the stand-in or a request it does not understand: say which, loudly.
                e.printStackTrace();
                status = 400;
                body = errorXml(new Ec2World.Ec2Error(400, "InvalidParameterValue", String.valueOf(e.getMessage())));
            }
            reply(exchange, status, body);
        }
    }

    /** EC2's error reply for the error. */
    static String errorXml(Ec2World.Ec2Error e) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + e.code
                + "</Code><Message>" + xml(e.getMessage()) + "</Message></Error></Errors><RequestID>"
                + UUID.randomUUID() + "</RequestID></Response>";
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private String dispatch(String action, Map<String, String> p) {
        switch (action) {
            case "DescribeNetworkInterfaces": {
                StringBuilder items = new StringBuilder();
                for (Ec2World.Eni eni : world.describeNetworkInterfaces(list(p, "NetworkInterfaceId"), filters(p))) {
                    items.append(eniXml(eni, "item"));
                }
                return "<networkInterfaceSet>" + items + "</networkInterfaceSet>";
            }
            case "AttachNetworkInterface": {
                String id = world.attach(required(p, "NetworkInterfaceId"), required(p, "InstanceId"),
                        Integer.parseInt(required(p, "DeviceIndex")),
                        Integer.parseInt(p.getOrDefault("NetworkCardIndex", "0")));
                return "<attachmentId>" + id + "</attachmentId><networkCardIndex>"
                        + p.getOrDefault("NetworkCardIndex", "0") + "</networkCardIndex>";
            }
            case "DetachNetworkInterface":
                world.detach(required(p, "AttachmentId"), "true".equals(p.get("Force")));
                return "<return>true</return>";
            case "CreateTags": {
                Map<String, String> tags = new LinkedHashMap<>();
                tagParams(p).forEach((k, v) -> tags.put(k, v.orElse("")));
                world.createTags(list(p, "ResourceId"), tags);
                return "<return>true</return>";
            }
            case "DeleteTags":
                world.deleteTags(list(p, "ResourceId"), tagParams(p));
                return "<return>true</return>";
            case "DescribeTags": {
                StringBuilder items = new StringBuilder();
                for (String[] row : world.describeTags(filters(p))) {
                    items.append("<item><resourceId>").append(row[0]).append("</resourceId><resourceType>")
                            .append(row[1]).append("</resourceType><key>").append(xml(row[2]))
                            .append("</key><value>").append(xml(row[3])).append("</value></item>");
                }
                return "<tagSet>" + items + "</tagSet>";
            }
            case "DescribeInstanceTypes": {
                StringBuilder items = new StringBuilder();
                for (String name : list(p, "InstanceType")) {
                    Ec2World.Type t = world.instanceType(name);
                    items.append("<item><instanceType>").append(t.name()).append("</instanceType><networkInfo>")
                            .append("<maximumNetworkInterfaces>").append(t.interfaces())
                            .append("</maximumNetworkInterfaces><ipv4AddressesPerInterface>")
                            .append(t.ipv4PerInterface()).append("</ipv4AddressesPerInterface>")
                            .append("<defaultNetworkCardIndex>0</defaultNetworkCardIndex><networkCards><item>")
                            .append("<networkCardIndex>0</networkCardIndex><maximumNetworkInterfaces>")
                            .append(t.interfaces()).append("</maximumNetworkInterfaces></item></networkCards>")
                            .append("</networkInfo></item>");
                }
                return "<instanceTypeSet>" + items + "</instanceTypeSet>";
            }
            // What a test sets a region up with, as it would with LocalStack (or real EC2).
            case "CreateVpc":
                return "<vpc><vpcId>vpc-0standin</vpcId><cidrBlock>" + p.get("CidrBlock") + "</cidrBlock></vpc>";
            case "CreateSubnet": {
                String zone = required(p, "AvailabilityZone");
                return "<subnet><subnetId>" + world.addSubnet(zone) + "</subnetId><availabilityZone>" + zone
                        + "</availabilityZone></subnet>";
            }
            case "CreateNetworkInterface": {
                Ec2World.Eni eni = world.addEniInSubnet(required(p, "SubnetId"),
                        tagSpecification(p, "network-interface"));
                return eniXml(eni, "networkInterface");
            }
            case "RunInstances": {
                String zone = p.containsKey("SubnetId") ? world.zoneOfSubnet(p.get("SubnetId"))
                        : required(p, "Placement.AvailabilityZone");
                Ec2World.Instance instance = world.runInstance(zone, tagSpecification(p, "instance"));
                return "<reservationId>r-0standin</reservationId><ownerId>111122223333</ownerId><instancesSet>"
                        + instanceXml(instance) + "</instancesSet>";
            }
            case "DescribeImages":
                return "<imagesSet><item><imageId>ami-0standin</imageId><imageState>available</imageState>"
                        + "<name>stand-in</name></item></imagesSet>";
            case "DescribeInstances": {
                StringBuilder items = new StringBuilder();
                for (String id : list(p, "InstanceId")) {
                    items.append(instanceXml(world.instance(id)));
                }
                return "<reservationSet><item><reservationId>r-0standin</reservationId><instancesSet>" + items
                        + "</instancesSet></item></reservationSet>";
            }
            default:
                throw new Ec2World.Ec2Error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        }
    }

    private static String respond(String action, String inner) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + XMLNS
                + "\"><requestId>" + UUID.randomUUID() + "</requestId>" + inner + "</" + action + "Response>";
    }

    private static String eniXml(Ec2World.Eni eni, String element) {
        StringBuilder s = new StringBuilder("<" + element + ">");
        s.append("<networkInterfaceId>").append(eni.id).append("</networkInterfaceId>");
        s.append("<availabilityZone>").append(eni.zone).append("</availabilityZone>");
        s.append("<macAddress>").append(eni.mac).append("</macAddress>");
        s.append("<subnetId>").append(eni.subnetId).append("</subnetId>");
        s.append("<privateIpAddress>").append(eni.privateIp).append("</privateIpAddress>");
        s.append("<privateIpAddressesSet><item><privateIpAddress>").append(eni.privateIp)
                .append("</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>");
        s.append("<status>").append(eni.status).append("</status>");
        s.append("<interfaceType>").append(eni.interfaceType).append("</interfaceType>");
        s.append("<requesterManaged>").append(eni.requesterManaged).append("</requesterManaged>");
        Ec2World.Attachment a = eni.attachment;
        if (a != null) {
            s.append("<attachment><attachmentId>").append(a.id).append("</attachmentId>")
                    .append("<instanceId>").append(a.instanceId).append("</instanceId>")
                    .append("<deviceIndex>").append(a.deviceIndex).append("</deviceIndex>")
                    .append("<networkCardIndex>").append(a.networkCardIndex).append("</networkCardIndex>")
                    .append("<status>").append(a.status).append("</status></attachment>");
        }
        return s.append(tagSetXml(eni.tags)).append("</" + element + ">").toString();
    }

    private static String instanceXml(Ec2World.Instance instance) {
        return "<item><instanceId>" + instance.id + "</instanceId><instanceType>" + instance.instanceType.name()
                + "</instanceType><placement><availabilityZone>" + instance.zone
                + "</availabilityZone></placement><privateDnsName>" + instance.hostname + "</privateDnsName>"
                + "<instanceState><code>16</code><name>running</name></instanceState>" + tagSetXml(instance.tags)
                + "</item>";
    }

    private static String tagSetXml(Map<String, String> tags) {
        StringBuilder s = new StringBuilder("<tagSet>");
        tags.forEach((k, v) -> s.append("<item><key>").append(xml(k)).append("</key><value>").append(xml(v))
                .append("</value></item>"));
        return s.append("</tagSet>").toString();
    }

    /** The tags of {@code TagSpecification.N} for the resource type. */
    private static Map<String, String> tagSpecification(Map<String, String> p, String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; p.containsKey("TagSpecification." + i + ".ResourceType"); i++) {
            if (p.get("TagSpecification." + i + ".ResourceType").equals(resourceType)) {
                String prefix = "TagSpecification." + i + ".";
                tagParams(p, prefix).forEach((k, v) -> tags.put(k, v.orElse("")));
            }
        }
        return tags;
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    /** {@code Name.1}, {@code Name.2}, … in order. */
    private static List<String> list(Map<String, String> p, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 1; p.containsKey(name + "." + i); i++) {
            values.add(p.get(name + "." + i));
        }
        return values;
    }

    private static Filters filters(Map<String, String> p) {
        Filters filters = new Filters();
        for (int i = 1; p.containsKey("Filter." + i + ".Name"); i++) {
            filters.add(p.get("Filter." + i + ".Name"), list(p, "Filter." + i + ".Value"));
        }
        return filters;
    }

    private static Map<String, Optional<String>> tagParams(Map<String, String> p) {
        return tagParams(p, "");
    }

    private static Map<String, Optional<String>> tagParams(Map<String, String> p, String prefix) {
        Map<String, Optional<String>> tags = new LinkedHashMap<>();
        for (int i = 1; p.containsKey(prefix + "Tag." + i + ".Key"); i++) {
            tags.put(p.get(prefix + "Tag." + i + ".Key"), Optional.ofNullable(p.get(prefix + "Tag." + i + ".Value")));
        }
        return tags;
    }

    private static String required(Map<String, String> p, String name) {
        String value = p.get(name);
        if (value == null) {
            throw new Ec2World.Ec2Error(400, "MissingParameter", "The request must contain the parameter " + name);
        }
        return value;
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }
}
