#!/usr/bin/env bash
# Shows that the build's dependency rules (maven-enforcer-plugin, see the root pom.xml) catch a
# planted violation, so a rule that stopped working cannot pass unnoticed:
#   no-model-engine  a module marked engine-free (kvl-image, kvl-video, kvl-camera-simulator,
#                    kvl-connectors) that depends on DJL fails the build;
#   align-javacpp    javacv and javacpp at different versions fail the build.
# Each plant is a copy of image/pom.xml with one dependency added, next to the original (so the
# parent resolves), removed on exit. Prints one "ok"/"FAIL" line per check; exits non-zero on FAIL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
planted="image/pom-planted.xml"
log="$(mktemp)"
trap 'rm -f "$planted" "$log"' EXIT
failures=0

plant() { # $1 = name, $2 = dependencies XML, $3 = text the failure must contain
  sed "s#</project>#  <dependencies>$2</dependencies>\n</project>#" image/pom.xml > "$planted"
  if mvn -B -ntp -q -f "$planted" validate >"$log" 2>&1; then
    echo "FAIL $1: the planted violation passed the build"; failures=$((failures + 1))
  elif grep -q "$3" "$log"; then
    echo "ok   $1: planted violation rejected: $(grep -m1 "$3" "$log" | sed 's/^\[ERROR\] *//')"
  else
    echo "FAIL $1: the build failed for another reason:"; tail -n 20 "$log"; failures=$((failures + 1))
  fi
}

plant "no-model-engine" \
  "<dependency><groupId>ai.djl</groupId><artifactId>api</artifactId><version>0.36.0</version></dependency>" \
  "ai.djl:api"
plant "align-javacpp" \
  "<dependency><groupId>org.bytedeco</groupId><artifactId>javacv</artifactId><version>1.5.11</version><exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency><dependency><groupId>org.bytedeco</groupId><artifactId>javacpp</artifactId><version>1.5.10</version></dependency>" \
  "RequireSameVersions"
exit "$failures"
