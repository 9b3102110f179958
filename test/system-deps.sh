#!/usr/bin/env bash
# Installs the real ZooKeeper components the tests use (Debian packages), when missing.
# Tests never skip for want of them: without root this fails and names the command to run.
set -euo pipefail
need=()
[ -f /usr/share/java/zookeeper.jar ] || need+=(zookeeper)
[ -x /usr/lib/zookeeper/bin/cli_mt ] || need+=(zookeeper-bin)
/usr/bin/python3 -c 'import kazoo' 2>/dev/null || need+=(python3-kazoo)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages for the tests: run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages for the tests: ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
