#!/bin/sh
# Writes GraalVM's reflect-config.json for a native build of the agent (pom.xml profile "native").
# The vSphere adapter resolves every wire type by name (VimTypeRegistry: Class.forName("com.vmware.vim25."
# + xsi:type)) and reads and writes their fields and no-argument constructors by reflection
# (VimValueReader, VimFieldCatalog, VimRequestWriter, yavijava's XmlGen). Any of yavijava's ~2,700 data
# object and fault classes can arrive from vCenter, so all top-level com.vmware.vim25 classes are
# registered, plus the project's own wire types, listed in project-wire-types.txt beside this script (a test
# keeps that list equal to VimTypeRegistry.withProjectTypes()).
# UNTESTED in a native image: no GraalVM is available where this project is built (docs/appliance.md).
#   reflect-config.sh YAVIJAVA_JAR OUT_JSON
set -eu
jar=$1 out=$2
mkdir -p "$(dirname "$out")"
project=$(grep -v '^#' "$(dirname "$0")/project-wire-types.txt")
{
  jar tf "$jar" | sed -n 's|^\(com/vmware/vim25/[A-Za-z0-9_]*\)\.class$|\1|p' | tr / .
  printf '%s\n' "$project"
} | sort -u | awk '
  BEGIN { print "[" }
  { printf "%s  {\"name\": \"%s\", \"allDeclaredConstructors\": true, \"allPublicConstructors\": true,", (NR > 1 ? ",\n" : ""), $0
    printf " \"allDeclaredFields\": true, \"allPublicFields\": true, \"allPublicMethods\": true}" }
  END { print "\n]" }' > "$out"
echo "reflect-config.sh: $(grep -c '"name"' "$out") classes registered for reflection in $out"
