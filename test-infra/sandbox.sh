#!/usr/bin/env bash
# The sandbox demo: the real multus-eni jar against the EC2 + IMDS stand-in, inside a throwaway
# network namespace that plays the node. An "attached" ENI appears there as a real interface (a veth
# end with the ENI's MAC, named eth1 as the kernel would), and multus-eni renames it to `multus`.
# Then the daemon, and a "pod" (a second namespace) that takes the interface with Multus' own
# host-device CNI plugin and gives it back. Needs root (network namespaces). Everything it creates
# is removed on exit, however it exits.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "sandbox.sh needs root: it creates a network namespace and veth interfaces" >&2
  exit 1
fi
for tool in ip java; do
  command -v "$tool" >/dev/null || { echo "sandbox.sh needs '$tool' (apt-get install -y iproute2 / a JDK 17)" >&2; exit 1; }
done

ns="mte-demo-$$"
pod="mte-demo-pod-$$"
work="$(mktemp -d)"
standin_pid=""
run_pid=""
cleanup() {
  # Only what this script started, by PID.
  for pid in $run_pid $standin_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  ip netns del "$pod" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -f target/multus-eni.jar ] || [ ! -f target/test-classpath.txt ] \
   || [ ! -d target/test-classes/io/multuseni/standin ] \
   || [ -n "$(find pom.xml src test-infra/src -newer target/multus-eni.jar -print -quit)" ]; then
  step "building the jar and the stand-in (./mvnw -q -DskipTests package)"
  ./mvnw -q -DskipTests package
fi

step "a network namespace for the node: $ns"
ip netns add "$ns"
ip -n "$ns" link set lo up

step "the EC2 + IMDS stand-in and a mock Kubernetes API server inside it:"
echo "   one instance in eu-west-2a; tagged ENIs: for the default network (multus=true) in eu-west-2a and eu-west-2b,"
echo "   for the second network, sig (multus=sig), in eu-west-2a; its Node is not registered yet"
ip netns exec "$ns" java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.multuseni.standin.StandInMain \
  --region eu-west-2 --zone eu-west-2a --instance i-0123456789abcdef0 \
  --instance-tag eks:cluster-name=demo --netns "$ns" \
  --eni eu-west-2a:multus=true,cluster=demo,Zone=eu-west-2a,node.k8s.amazonaws.com/no_manage=true \
  --eni eu-west-2b:multus=true,cluster=demo,Zone=eu-west-2b,node.k8s.amazonaws.com/no_manage=true \
  --eni eu-west-2a:multus=sig,cluster=demo,Zone=eu-west-2a,node.k8s.amazonaws.com/no_manage=true \
  --ec2-port 8901 --imds-port 8902 --attach-delay-ms 1000 \
  --api-port 8903 --register-node-when "$work/kubelet-joined" --notify-socket "$work/notify.sock" \
  >"$work/standin.log" 2>&1 &
standin_pid=$!
for _ in $(seq 100); do grep -q '^ready' "$work/standin.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready' "$work/standin.log" || { cat "$work/standin.log"; echo "the stand-in did not start" >&2; exit 1; }
grep '^eni' "$work/standin.log"
cat >"$work/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: sandbox, cluster: {server: "http://127.0.0.1:8903"}}]
users: [{name: node, user: {token: sandbox}}]
contexts: [{name: sandbox, context: {cluster: sandbox, user: node}}]
current-context: sandbox
KUBECONFIG

# The SDK's standard variables point the jar at the stand-in; credentials come from its IMDS, as on a node.
# State and systemd files go to a scratch folder, never to the host's /run/systemd/network. Two networks: the
# default one (multus) and sig (multus-sig), one variable each, as in /etc/multus-eni/multus-eni.conf.
jar=(env AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:8902 AWS_ENDPOINT_URL_EC2=http://127.0.0.1:8901
  "MULTUS_ENI_NETWORK_SIG=interface-name=multus-sig;eni-tag=multus=sig,cluster={cluster},Zone={zone}"
  MULTUS_ENI_CONFIG="$work/none.conf" MULTUS_ENI_STATE_DIR="$work/state"
  MULTUS_ENI_NETWORK_CONFIG_DIR="$work/network" MULTUS_ENI_KUBECONFIG="$work/kubeconfig"
  MULTUS_ENI_INTERVAL=2s java -jar target/multus-eni.jar)
multus_eni() {
  ip netns exec "$ns" "${jar[@]}" "$@"
}

# Multus' host-device plugin, run as a container runtime runs the shipped NetworkAttachmentDefinition (static
# IPAM: no lease a lost pod could keep; a route sends the range behind the firewall out of net1) for a pod: from
# the node's namespace, for the pod's. $1 is ADD or DEL.
eni_ip="$(awk '$1 == "eni" && $5 == "eu-west-2a" {print $4; exit}' "$work/standin.log")"
host_device='{"cniVersion": "0.3.0", "name": "multus-eni-static", "type": "host-device", "device": "multus",
  "ipam": {"type": "static", "addresses": [{"address": "'"$eni_ip"'/24", "gateway": "'"${eni_ip%.*}"'.1"}],
    "routes": [{"dst": "198.51.100.0/24", "gw": "'"${eni_ip%.*}"'.1"}]}}'
cni() {
  echo "$host_device" | ip netns exec "$ns" env CNI_COMMAND="$1" CNI_CONTAINERID=demo-pod \
    CNI_NETNS="/run/netns/$pod" CNI_IFNAME=net1 CNI_PATH=/usr/lib/cni /usr/lib/cni/host-device >/dev/null 2>&1
}

step "multus-eni doctor: every prerequisite checked, nothing changed"
multus_eni doctor || true

step "the node's interfaces before"
ip -n "$ns" -br link

step "multus-eni attach"
multus_eni attach

step "the node's interfaces after: the ENIs' interfaces are named multus and multus-sig"
ip -n "$ns" -br link

step "the files it wrote: $work/network"
head -n 20 "$work/network"/*

step "multus-eni status"
multus_eni status

step "multus-eni attach again: adopts, changes nothing"
multus_eni attach

step "multus-eni detach"
multus_eni detach

step "the daemon: multus-eni run under a notify socket, as systemd starts it; kubelet registers the Node 3 s after READY"
# A plain background command, so $! is the daemon's own PID (ip netns exec and env exec into java).
ip netns exec "$ns" "${jar[@]:0:1}" NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=10000000 "${jar[@]:1}" run &
run_pid=$!
for _ in $(seq 300); do grep -q '^notify: READY=1' "$work/standin.log" && break; sleep 0.1; done
sleep 3
touch "$work/kubelet-joined"
for _ in $(seq 150); do grep -q 'labels now .*multus-attached' "$work/standin.log" && break; sleep 0.1; done
sleep 1

step "multus-eni cluster: per network and zone, who holds the ENI (from the Nodes' labels and annotations)"
multus_eni cluster 2>/dev/null || echo "(exit $?: a zone of a network has no holder, or two)"

if [ -x /usr/lib/cni/host-device ] && [ -x /usr/lib/cni/static ]; then
  step "a pod starts: Multus' host-device plugin moves multus into the pod's namespace as net1, with the ENI's IP $eni_ip"
  ip netns add "$pod"
  cni ADD
  echo "the pod:"
  ip -n "$pod" -br addr show dev net1
  echo "what the pod sends to the range behind the firewall leaves by net1, from the static IP:"
  ip -n "$pod" route get 198.51.100.10
  echo "the node (multus is in the pod now):"
  ip -n "$ns" -br link
  sleep 5
  echo "two checks later the node still holds the ENI, and keeps its label:"
  multus_eni status 2>/dev/null | grep -E '^(eniId|interfacePlace|nodeLabelled) '

  step "the pod goes: host-device's DEL gives the interface back as multus"
  cni DEL
  ip netns del "$pod"
  ip -n "$ns" -br link
  sleep 3
  multus_eni status 2>/dev/null | grep -E '^(interfacePlace|nodeLabelled) '

  step "the next pod is lost without a DEL (a reboot, a crashed sandbox): the device comes back as net1"
  ip netns add "$pod"
  cni ADD
  sleep 3 # the pod runs a while: multus-eni sees it has the interface
  # What the kernel does to a real ENA device when the pod's namespace is destroyed (a veth would die with it):
  # back to the host under its name in the pod.
  ip -n "$pod" link set net1 netns "$ns"
  ip netns del "$pod"
  ip -n "$ns" -br link
  sleep 3
  echo "one check later multus-eni has named it multus again, up, and the Node kept its label:"
  ip -n "$ns" -br link
  multus_eni status 2>/dev/null | grep -E '^(interfacePlace|nodeLabelled) '
  echo "the next pod's ADD gets the address (static IPAM kept no lease for the lost pod):"
  ip netns add "$pod"
  cni ADD
  ip -n "$pod" -br addr show dev net1
  cni DEL
  ip netns del "$pod"
else
  step "the pod step needs Multus' reference CNI plugins: apt-get install -y containernetworking-plugins"
fi

step "systemctl stop: SIGTERM to the daemon"
kill -TERM "$run_pid"
wait "$run_pid" && echo "run exited 0"
run_pid=""

step "what systemd and the API server saw (the stand-ins' log): READY, registered, labelled, STOPPING, unlabelled"
grep -E '^(node |notify: )' "$work/standin.log" | grep -v 'notify: WATCHDOG=1 ' | sed 's/ @[0-9]*$//'

step "the node's interfaces at the end: multus and multus-sig are gone, the ENIs are free for another node"
ip -n "$ns" -br link
multus_eni status --json
