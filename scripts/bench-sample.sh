# Sourced by the bench scripts: sample_workspace SOURCES NOTES NAME prints the
# path of a workspace of SOURCES made-up sources and NOTES notes
# (`chipwatch generate-sample`, the release CLI), made once and cached in
# target/bench/NAME-KEY.db. KEY hashes the counts, the migrations and the
# generator, so another shape, a schema or generator change makes a new one
# (and removes the old).
sample_workspace() {
  local sources=$1 notes=$2 name=$3
  mkdir -p target/bench
  local key
  key=$({ echo "$sources sources, $notes notes"; cat crates/core/migrations/*.sql crates/core/src/sample.rs; } | sha256sum | cut -c1-12)
  local path="$PWD/target/bench/$name-$key.db"
  if [[ ! -s $path ]]; then
    echo "making $path ($sources sources; once, it takes a while)" >&2
    rm -f "target/bench/$name-"*.db* "target/bench/.$name-"*.db.lock
    local building="$PWD/target/bench/building-$$.db"
    target/release/chipwatch --workspace "$building" generate-sample --sources "$sources" --notes "$notes" >&2
    # generate-sample closes the workspace, which folds its WAL into the file.
    mv "$building" "$path"
  fi
  echo "$path"
}
