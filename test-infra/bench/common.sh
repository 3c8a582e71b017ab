# Shared by the benchmark scripts: a namespace playing the node, the stand-in inside it, cleanup on exit.
# Needs root. Sourced, not run.
# shellcheck shell=bash

bench_setup() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  [ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
  if [ ! -f target/multus-eni.jar ] || [ ! -f target/test-classpath.txt ] \
     || [ -n "$(find pom.xml src test-infra/src -newer target/multus-eni.jar -print -quit)" ]; then
    ./mvnw -q -DskipTests package
  fi
  ns="mte-bench-$$"
  work="$(mktemp -d)"
  standin_pid=""
  bench_pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  ip netns add "$ns"
  ip -n "$ns" link set lo up
}

bench_cleanup() {
  if [ -n "$standin_pid" ]; then
    kill "$standin_pid" 2>/dev/null || true
    wait "$standin_pid" 2>/dev/null || true
  fi
  # Only what this script started: never another run on the machine (a test's, a sandbox's).
  local pid
  for pid in "${bench_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}

# The stand-in with one instance and one tagged ENI, no attach delay, a notify socket that prints
# every datagram with its arrival time; and an ENI of another cluster tag held by another instance, for
# boots that find their zone's ENI taken (standbys).
bench_standin() {
  ip netns exec "$ns" java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.multuseni.standin.StandInMain \
    --region eu-west-2 --zone eu-west-2a --instance i-0123456789abcdef0 --instance-tag eks:cluster-name=bench \
    --netns "$ns" --eni eu-west-2a:multus=true,cluster=bench,Zone=eu-west-2a,node.k8s.amazonaws.com/no_manage=true \
    --eni-elsewhere eu-west-2a:multus=true,cluster=bench-held,Zone=eu-west-2a,node.k8s.amazonaws.com/no_manage=true \
    --ec2-port 8901 --imds-port 8902 --attach-delay-ms 0 --ec2-latency-ms "${BENCH_EC2_LATENCY_MS:-40}" \
    --notify-socket "$work/notify.sock" \
    >"$work/standin.log" 2>&1 &
  standin_pid=$!
  for _ in $(seq 200); do grep -q '^ready' "$work/standin.log" 2>/dev/null && break; sleep 0.05; done
}

# The JVM options and environment of the systemd unit itself, read from systemd/multus-eni.service so that
# the benches measure what a node runs: every -X option of its ExecStart but the archive's (each run gives
# its own), and its Environment= settings but MULTUS_ENI_JAVA_OPTS (empty there). Used by the sourcing scripts.
unit_file="$(dirname "${BASH_SOURCE[0]}")/../../systemd/multus-eni.service"
# shellcheck disable=SC2034
mapfile -t UNIT_JVM_OPTS < <(sed -n '/^ExecStart=/,/ -jar /p' "$unit_file" | tr -s '[:space:]' '\n' \
  | grep -E '^-X' | grep -vE '^-Xshare|SharedArchiveFile|^-Xlog')
# shellcheck disable=SC2034
mapfile -t UNIT_ENV < <(sed -n 's/^Environment=//p' "$unit_file" | tr ' ' '\n' | grep -v '^MULTUS_ENI_JAVA_OPTS=' \
  | grep . || true)

# Dumps an AppCDS archive to $1 the way the AMI build does (packer/provision.sh): from a `doctor --no-kube`
# run, which walks IMDS, the EC2 SDK (changing calls with DryRun) and picocli and changes nothing. The rest
# of the arguments are environment settings for that run.
bench_archive() {
  local archive=$1; shift
  ip netns exec "$ns" env "${bench_env[@]}" "${UNIT_ENV[@]}" "$@" java "${UNIT_JVM_OPTS[@]}" \
    -XX:ArchiveClassesAtExit="$archive" -jar target/multus-eni.jar doctor --no-kube >/dev/null 2>&1 || true
}

# shellcheck disable=SC2034
bench_env=(AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:8902 AWS_ENDPOINT_URL_EC2=http://127.0.0.1:8901)

now_ms() { date +%s%3N; }

# Prints min/median/max of the numbers on stdin.
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %d ms, min %d ms, max %d ms (%d runs)", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
