#!/usr/bin/env bash
# A throwaway Ceph RGW (the S3 that CSM runs) for tests and benchmarks: one monitor, one memstore
# OSD (data in RAM) and radosgw on free loopback ports, everything under DIR (nothing in
# /etc/ceph, no systemd). Users IMS and STS with fixed keys; buckets `ims` and `boot-images`
# owned by IMS, with a bucket policy that lets STS upload into them and IMS read what STS
# uploaded (as a job pod or `cray artifacts create` does on CSM).
#
#   scripts/rgw.sh install           apt-get install ceph-mon ceph-osd radosgw ceph-common curl if missing
#   scripts/rgw.sh start DIR         install, start, print the settings (one JSON line) and return
#   scripts/rgw.sh run DIR           the same, then stop when stdin closes (the caller ended or died)
#   scripts/rgw.sh buckets DIR B...  more buckets like the two above (existing ones are kept)
#   scripts/rgw.sh stop DIR          stop every daemon (radosgw, OSD, monitor in that order), remove DIR
#
# Recipe and pitfalls: ../shared/stack-notes.md "Ceph RGW".
set -euo pipefail

IMS_KEY=IMSACCESSKEY; IMS_SECRET=ims-secret-key
STS_KEY=STSACCESSKEY; STS_SECRET=sts-secret-key
BUCKETS=(ims boot-images)
WAIT_S=30

die() { echo "rgw.sh: $*" >&2; exit 1; }

usage() { die "usage: rgw.sh install | start DIR | run DIR | buckets DIR BUCKET... | stop DIR"; }

install_missing() {
  local missing=()
  for b in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw ceph:ceph-common radosgw-admin:radosgw monmaptool:ceph-common curl:curl; do
    command -v "${b%%:*}" >/dev/null 2>&1 || missing+=("${b#*:}")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "rgw.sh: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { "${sudo[@]}" apt-get update -q >&2 && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
    die "cannot install ${missing[*]}"
}

# A port nothing listens on, below the kernel's ephemeral range (so no outgoing connection holds
# it); a race with another process is caught when the daemon binds.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port found"
}

write_conf() {
  local dir=$1 fsid=$2 mon_port=$3 rgw_port=$4
  cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon_port
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
ms_bind_msgr2 = true
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
run_dir = $dir/run
admin_socket = $dir/run/\$name.asok
pid_file = $dir/run/\$name.pid
log_file = $dir/log/\$name.log
crash_dir = $dir/crash
mon_data = $dir/mon/\$name
osd_data = $dir/osd/\$name
keyring = $dir/keyring
# One OSD: pools of size 1, few PGs, no autoscaler, no health nagging.
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_data_avail_crit = 0
# The default 1 s makes every map change (pool creation, OSD boot) slow: start took 16 s.
paxos_propose_interval = 0.05

[osd]
osd_objectstore = memstore
memstore_device_bytes = 8589934592
osd_crush_update_on_start = true

[client.rgw.ims]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_data = $dir/rgw
rgw_thread_pool_size = 64
rgw_enable_lc_threads = false
rgw_enable_usage_log = false
# Without cephx radosgw must accept crc, or it loops on "get_initial_auth_request returned -13".
ms_mon_client_mode = crc secure
EOF
}

ceph_() { ceph -c "$DIR/ceph.conf" --connect-timeout 10 "$@"; }

spawn() { # name, command...: a daemon in its own session, so the caller's signals do not reach it
  local name=$1; shift
  setsid "$@" </dev/null >>"$DIR/log/$name.out" 2>&1 &
  echo $! >"$DIR/run/$name.daemon-pid"
}

wait_for() { # daemon, command...: until the command succeeds; fails at once if the daemon died
  local name=$1; shift
  for _ in $(seq $((WAIT_S * 20))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    alive "$(cat "$DIR/run/$name.daemon-pid")" || die "$name exited (a port taken meanwhile?)"
    sleep 0.05
  done
  die "$name did not come up within ${WAIT_S}s"
}

# One request signed as IMS (curl 7.88 signs "?policy" wrongly: write "?policy="); prints the status.
s3() { # method, path, [curl args...]
  local method=$1 path=$2; shift 2
  curl -sS -o "$DIR/log/s3-answer.xml" -w '%{http_code}' -X "$method" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$IMS_KEY:$IMS_SECRET" "$@" "$ENDPOINT$path"
}

bucket_policy() {
  local bucket=$1
  cat <<EOF
{"Version": "2012-10-17", "Statement": [
  {"Sid": "sts-uploads", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam:::user/STS"]},
   "Action": ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetObject", "s3:GetObjectAcl", "s3:PutObject",
              "s3:PutObjectAcl", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
   "Resource": ["arn:aws:s3:::$bucket", "arn:aws:s3:::$bucket/*"]},
  {"Sid": "ims-reads-every-object", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam:::user/IMS"]},
   "Action": ["s3:GetObject", "s3:GetObjectAcl"],
   "Resource": ["arn:aws:s3:::$bucket/*"]}]}
EOF
}

# Owned by IMS. RGW answers 200 for a bucket we own already, 409 BucketAlreadyExists for another's.
make_buckets() {
  for b in "$@"; do
    s3 PUT "/$b" | grep -q '^200$' || die "cannot create bucket $b: $(cat "$DIR/log/s3-answer.xml")"
    bucket_policy "$b" | s3 PUT "/$b?policy=" --data-binary @- -H "content-type: application/json" | grep -q '^20' ||
      die "cannot set the policy of bucket $b: $(cat "$DIR/log/s3-answer.xml")"
  done
}

settings() {
  printf '{"endpoint":"%s","region":"us-east-1","ims":{"accessKeyId":"%s","secretAccessKey":"%s"},' "$ENDPOINT" "$IMS_KEY" "$IMS_SECRET"
  printf '"sts":{"accessKeyId":"%s","secretAccessKey":"%s"},"buckets":["%s"],"dir":"%s"}\n' "$STS_KEY" "$STS_SECRET" "$(IFS=,; echo "${BUCKETS[*]}" | sed 's/,/","/g')" "$DIR"
}

failed_start() {
  echo "rgw.sh: start failed; the daemons' last log lines:" >&2
  tail -n 5 "$DIR"/log/*.log "$DIR"/log/*.out >&2 2>/dev/null || true
  stop_daemons
}

start() {
  install_missing
  for f in "$DIR"/run/*.daemon-pid; do
    [ -f "$f" ] && alive "$(cat "$f")" && die "$DIR holds a running cluster (stop it first)"
  done
  rm -rf "$DIR" # what a failed start left behind
  mkdir -p "$DIR"/{run,log,crash,mon,osd,rgw}
  DIR=$(cd "$DIR" && pwd)
  trap failed_start EXIT
  local fsid mon_port rgw_port
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(free_port)
  rgw_port=$(free_port)
  while [ "$rgw_port" = "$mon_port" ]; do rgw_port=$(free_port); done
  ENDPOINT="http://127.0.0.1:$rgw_port"
  write_conf "$DIR" "$fsid" "$mon_port" "$rgw_port"
  : >"$DIR/keyring"

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$DIR/ceph.conf" -i a --mkfs --monmap "$DIR/monmap" >>"$DIR/log/mkfs.out" 2>&1
  spawn mon.a ceph-mon -c "$DIR/ceph.conf" -i a -f
  wait_for mon.a ceph_ mon stat

  local osd_uuid
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  ceph_ osd new "$osd_uuid" >/dev/null
  mkdir -p "$DIR/osd/osd.0"
  ceph-osd -c "$DIR/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$DIR/log/mkfs.out" 2>&1
  spawn osd.0 ceph-osd -c "$DIR/ceph.conf" -i 0 -f
  wait_for osd.0 bash -c "ceph -c '$DIR/ceph.conf' osd dump | grep -q '^osd.0 up'"

  spawn rgw radosgw -c "$DIR/ceph.conf" -n client.rgw.ims -f
  for who in "IMS $IMS_KEY $IMS_SECRET" "STS $STS_KEY $STS_SECRET"; do
    set -- $who
    radosgw-admin -c "$DIR/ceph.conf" user create --uid "$1" --display-name "$1" --access-key "$2" --secret-key "$3" >/dev/null
  done
  wait_for rgw curl -sf -o /dev/null "$ENDPOINT/"
  make_buckets "${BUCKETS[@]}"
  trap - EXIT
  settings | tee "$DIR/settings.json"
}

# Running, not a zombie waiting for its parent (which may be a slow-reaping init) to reap it.
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]; }

# radosgw first, then the OSD, then the monitor (stopping all at once left radosgw hanging).
# SIGKILL: the data is throwaway (memstore), and a clean shutdown took 5 s.
stop_daemons() {
  for name in rgw osd.0 mon.a; do
    local f="$DIR/run/$name.daemon-pid" pid
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true # reaps it when we started it (run)
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
    rm -f "$f"
  done
}

stop() {
  [ -d "$DIR" ] || return 0
  stop_daemons
  rm -rf "$DIR"
}

[ "$#" -ge 1 ] || usage
[ "$1" = install ] && { install_missing; exit 0; }
[ "$#" -ge 2 ] || usage
DIR=$2
case "$1" in
  start) start ;;
  buckets)
    DIR=$(cd "$DIR" && pwd)
    ENDPOINT=$(grep -o '"endpoint":"[^"]*' "$DIR/settings.json" | cut -d'"' -f4)
    shift 2
    make_buckets "$@"
    ;;
  run)
    start
    # Stop when the caller goes away, however it ends (stdin closes even on SIGKILL). Its
    # signals are ignored, and so is its stderr pipe, which it may have closed.
    trap '' INT TERM HUP PIPE
    exec 2>/dev/null
    cat >/dev/null || true
    stop
    ;;
  stop) stop ;;
  *) usage ;;
esac
