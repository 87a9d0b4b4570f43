#!/bin/sh
if [ "${RBL_FAIL_TEST:-0}" = "1" ]; then
  echo "fail_test: expected 4, got 5"
  echo "fail_test: assertion failed (RBL_FAIL_TEST=1)" >&2
  exit 1
fi
echo "fail_test: OK (set --test_env=RBL_FAIL_TEST=1 to make it fail)"
