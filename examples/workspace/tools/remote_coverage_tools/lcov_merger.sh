#!/bin/sh
# Offline stand-in: coverage needs the real remote_coverage_tools.
echo "coverage is not available in the offline example" >&2
exit 1
