package io.multuseni.standin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the EC2 + IMDS stand-in on its own, for the sandbox demo and for trying the jar by hand.
 *
 * <pre>
 * java -cp target/test-classes io.multuseni.standin.StandInMain \
 *   --region eu-west-2 --zone eu-west-2a --instance i-0123456789abcdef0 \
 *   --instance-tag eks:cluster-name=demo --netns demo \
 *   --eni eu-west-2a:multus=true,cluster=demo,Zone=eu-west-2a \
 *   --ec2-port 8901 --imds-port 8902 --attach-delay-ms 500 --ec2-latency-ms 40 \
 *   --api-port 8903 --register-node-when /tmp/register --notify-socket /tmp/notify.sock
 * </pre>
 *
 * {@code --ec2-latency-ms} makes every EC2 call take that long (a regional endpoint's round trip; default
 * none). {@code --eni-elsewhere ZONE:TAGS} adds an ENI already held by another instance of that zone (what a
 * standby finds at boot). Prints one line per ENI ({@code eni <id> <mac> <ip> <zone> <tags>}) and then
 * {@code ready}. With
 * {@code --api-port} it also runs fabric8's mock API server there, registers the instance's Node
 * (named by its private DNS name) once the given file exists, as kubelet would when it joins, and
 * prints the Node's labels after every change. With {@code --notify-socket} it plays systemd's end of
 * NOTIFY_SOCKET and prints every notification ({@code notify: READY=1 | STATUS=…}).
 */
public final class StandInMain {
    private StandInMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> single = new LinkedHashMap<>();
        List<String> enis = new ArrayList<>();
        List<String> instanceTags = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--eni" -> enis.add(args[i + 1]);
                case "--eni-elsewhere" -> enis.add("elsewhere:" + args[i + 1]);
                case "--instance-tag" -> instanceTags.add(args[i + 1]);
                case "--region", "--zone", "--instance", "--netns", "--ec2-port", "--imds-port",
                        "--attach-delay-ms", "--ec2-latency-ms", "--max-interfaces", "--api-port", "--register-node-when", "--notify-socket" ->
                        single.put(args[i], args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Ec2World world = new Ec2World(single.getOrDefault("--region", "eu-west-2"));
        world.attachDelay(Long.parseLong(single.getOrDefault("--attach-delay-ms", "500")));
        world.latency(Long.parseLong(single.getOrDefault("--ec2-latency-ms", "0")));
        String zone = single.getOrDefault("--zone", world.region() + "a");
        Ec2World.Instance instance = world.addInstance(single.getOrDefault("--instance", "i-0123456789abcdef0"),
                zone, Integer.parseInt(single.getOrDefault("--max-interfaces", "3")));
        for (String tag : instanceTags) {
            String[] kv = tag.split("=", 2);
            instance.tags.put(kv[0], kv[1]);
        }
        if (single.containsKey("--netns")) {
            instance.hotPlug = new NetnsHotPlug(single.get("--netns"));
        }
        for (String spec : enis) {
            boolean elsewhere = spec.startsWith("elsewhere:");
            String[] zoneAndTags = spec.substring(elsewhere ? "elsewhere:".length() : 0).split(":", 2);
            Map<String, String> tags = new LinkedHashMap<>();
            for (String tag : zoneAndTags[1].split(",")) {
                String[] kv = tag.split("=", 2);
                tags.put(kv[0], kv[1]);
            }
            Ec2World.Eni eni = world.addEni(zoneAndTags[0], tags);
            if (elsewhere) {
                Ec2World.Instance holder = world.addInstance("i-" + eni.id.substring(4), zoneAndTags[0], 3);
                world.attach(eni.id, holder.id, 1, 0);
            }
            System.out.println("eni " + eni.id + " " + eni.mac + " " + eni.privateIp + " " + eni.zone + " " + eni.tags);
        }
        Ec2Server ec2 = new Ec2Server(world, Integer.parseInt(single.getOrDefault("--ec2-port", "0")));
        ImdsServer imds = new ImdsServer(world.metadataOf(instance.id), Integer.parseInt(single.getOrDefault("--imds-port", "0")));
        System.out.println("ec2 " + ec2.endpoint());
        System.out.println("imds " + imds.endpoint());
        MockApiServer api = single.containsKey("--api-port") ? startApi(single, instance) : null;
        if (single.containsKey("--notify-socket")) {
            printNotifications(single.get("--notify-socket"));
        }
        System.out.println("ready");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (api != null) {
                api.close();
            }
            ec2.close();
            imds.close();
            world.close();
        }));
        Thread.currentThread().join();
    }

    private static void printNotifications(String path) throws java.io.IOException {
        jnr.unixsocket.UnixDatagramChannel channel = jnr.unixsocket.UnixDatagramChannel.open();
        channel.bind(new jnr.unixsocket.UnixSocketAddress(path));
        Thread receiver = new Thread(() -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4096);
            while (true) {
                try {
                    buffer.clear();
                    channel.receive(buffer);
                    buffer.flip();
                    // The receive time (epoch ms) lets a benchmark measure start → READY.
                    System.out.println("notify: " + java.nio.charset.StandardCharsets.UTF_8.decode(buffer).toString()
                            .replace("\n", " | ") + " @" + System.currentTimeMillis());
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "notify-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    private static MockApiServer startApi(Map<String, String> options, Ec2World.Instance instance) {
        MockApiServer[] api = new MockApiServer[1];
        api[0] = new MockApiServer(Integer.parseInt(options.get("--api-port")), change -> {
            if (change.startsWith("PATCH")) {
                new Thread(() -> System.out.println("node " + instance.hostname + " labels now "
                        + api[0].labels(instance.hostname))).start();
            }
        });
        java.nio.file.Path trigger = java.nio.file.Path.of(options.getOrDefault("--register-node-when", "/"));
        Thread register = new Thread(() -> {
            while (!java.nio.file.Files.exists(trigger)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.out.println("node " + instance.hostname + " registers (kubelet joined)");
            api[0].registerNode(instance.hostname, instance.zone);
        });
        register.setDaemon(true);
        register.start();
        System.out.println("api http://127.0.0.1:" + api[0].port());
        return api[0];
    }
}
