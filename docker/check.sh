#!/usr/bin/env bash
# Offline check of what docker/ deploys (no container engine needed):
#
# - docker/compose.yaml (and the compose.demo.yaml override): every file it mounts or builds
#   from exists in the repository; services, volumes and dependencies it names exist; the
#   Prometheus, Grafana and nginx files it mounts point at mounted paths and at services of
#   the file.
# - every SURGICASE_* variable a SurgiCase service sets is a configuration key: the service's
#   own binary (`surgicase-api config` or `surgicase-scheduler config`) loads exactly that
#   environment and must accept it (the configuration refuses unknown keys, naming them), and
#   each variable must reach its key in the printed configuration.
# - docker/Dockerfile: its `cargo build` command builds both binaries with --locked and a
#   profile the root Cargo.toml defines, copies them from that profile's directory, and uses
#   the toolchain of rust-toolchain.toml; the image runs as a non-root user with a health
#   check and the API as entry point.
#
#   docker/check.sh            the checks (builds the two debug binaries when needed)
#   docker/check.sh --build    also runs the Dockerfile's cargo build command (slow)
#
# Environment: SURGICASE_API_BIN / SURGICASE_SCHEDULER_BIN use those binaries instead of
# building them. Needs python3 with PyYAML (installed with pip when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

run_build=0
case "${1:-}" in
  "") ;;
  --build) run_build=1 ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

if ! python3 -c 'import yaml' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check pyyaml 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages pyyaml
fi

if [ -z "${SURGICASE_API_BIN:-}" ] || [ -z "${SURGICASE_SCHEDULER_BIN:-}" ]; then
  cargo build --quiet --bin surgicase-api --bin surgicase-scheduler
  target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  export SURGICASE_API_BIN="${SURGICASE_API_BIN:-$target_dir/debug/surgicase-api}"
  export SURGICASE_SCHEDULER_BIN="${SURGICASE_SCHEDULER_BIN:-$target_dir/debug/surgicase-scheduler}"
fi

build_command=$(python3 - <<'PY'
import os
import re
import shlex
import subprocess
import sys
import tomllib

import yaml

ROOT = os.getcwd()
DOCKER = os.path.join(ROOT, "docker")
COMPOSE_FILES = ["docker/compose.yaml", "docker/compose.demo.yaml"]
SURGICASE_BINARIES = {"surgicase-api": os.environ["SURGICASE_API_BIN"],
                      "surgicase-scheduler": os.environ["SURGICASE_SCHEDULER_BIN"]}
problems = []


def problem(text):
    problems.append(text)


def tracked(path):
    """Whether the path exists and, in a git checkout, is tracked (the image is built from
    the repository, not from stray local files)."""
    if not os.path.exists(path):
        return False
    if not os.path.isdir(os.path.join(ROOT, ".git")) and not os.path.isfile(os.path.join(ROOT, ".git")):
        return True
    rel = os.path.relpath(path, ROOT)
    out = subprocess.run(["git", "ls-files", "--", rel], capture_output=True, text=True, cwd=ROOT)
    return out.returncode == 0 and out.stdout.strip() != ""


# ---------------------------------------------------------------- compose: interpolation
VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$\$")


def interpolate(value, where):
    if isinstance(value, dict):
        return {k: interpolate(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, where) for v in value]
    if not isinstance(value, str):
        return value

    def one(m):
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if op in (":-", "-"):
            return arg
        problem(f"{where}: ${{{name}}} has no default; the file must run without an .env")
        return "x"

    return VAR.sub(one, value)


def load_compose(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return interpolate(data, path)


def merge(base, over):
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else (str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in env.items()}


def mounts(service):
    """(host path or volume name, container path, is_bind) of each volume entry."""
    out = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, str):
            parts = entry.split(":")
            source, target = parts[0], parts[1] if len(parts) > 1 else parts[0]
            out.append((source, target, source.startswith((".", "/", "~"))))
        else:
            out.append((entry.get("source", ""), entry.get("target", ""), entry.get("type") == "bind"))
    return out


def host_path(compose_path, source):
    return os.path.normpath(os.path.join(ROOT, os.path.dirname(compose_path), source))


def mounted_host_file(service, container_path, compose_path):
    """The repository file a container path comes from, via the service's bind mounts."""
    for source, target, bind in mounts(service):
        if not bind:
            continue
        if container_path == target:
            return host_path(compose_path, source)
        if container_path.startswith(target.rstrip("/") + "/"):
            return os.path.join(host_path(compose_path, source), container_path[len(target.rstrip("/")) + 1:])
    return None


base = load_compose(COMPOSE_FILES[0])
services = base.get("services") or {}
volumes_declared = set((base.get("volumes") or {}).keys())
demo = load_compose(COMPOSE_FILES[1])
for name in (demo.get("services") or {}):
    if name not in services:
        problem(f"{COMPOSE_FILES[1]}: service {name} is not in {COMPOSE_FILES[0]}")
merged_services = {name: merge(svc, (demo.get("services") or {}).get(name, {})) for name, svc in services.items()}

# ---------------------------------------------------------------- compose: files and names
for name, svc in services.items():
    where = f"{COMPOSE_FILES[0]}: service {name}"
    build = svc.get("build")
    if build is not None:
        context = build if isinstance(build, str) else build.get("context", ".")
        context_path = host_path(COMPOSE_FILES[0], context)
        if not os.path.isdir(context_path):
            problem(f"{where}: build context {context} does not exist")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        if not tracked(os.path.join(context_path, dockerfile)):
            problem(f"{where}: Dockerfile {dockerfile} (in {context}) is not in the repository")
    if "image" not in svc and build is None:
        problem(f"{where}: neither image nor build")
    for source, target, bind in mounts(svc):
        if bind:
            path = host_path(COMPOSE_FILES[0], source)
            if not tracked(path):
                problem(f"{where}: mounts {source}, which is not in the repository")
        elif source and source not in volumes_declared:
            problem(f"{where}: volume {source} is not declared under volumes")
    for env_file in ([svc["env_file"]] if isinstance(svc.get("env_file"), str) else svc.get("env_file") or []):
        if not tracked(host_path(COMPOSE_FILES[0], env_file if isinstance(env_file, str) else env_file["path"])):
            problem(f"{where}: env_file {env_file} is not in the repository")
    depends = svc.get("depends_on") or []
    for dep in (depends.keys() if isinstance(depends, dict) else depends):
        if dep not in services:
            problem(f"{where}: depends on {dep}, which is not a service")

# ---------------------------------------------------------------- mounted configuration files
def service_host(target):
    host = re.sub(r"^[a-z]+://", "", target).split("/")[0].split(":")[0]
    return host


prom = services.get("prometheus")
if prom is None:
    problem("compose: no prometheus service")
else:
    prom_file = mounted_host_file(prom, "/etc/prometheus/prometheus.yml", COMPOSE_FILES[0])
    if prom_file is None or not os.path.isfile(prom_file):
        problem("prometheus: /etc/prometheus/prometheus.yml is not mounted from the repository")
    else:
        with open(prom_file, encoding="utf-8") as f:
            prom_config = yaml.safe_load(f)
        for rule_file in prom_config.get("rule_files") or []:
            host = mounted_host_file(prom, rule_file, COMPOSE_FILES[0])
            if host is None or not tracked(host):
                problem(f"prometheus: rule file {rule_file} is not mounted from the repository")
            else:
                with open(host, encoding="utf-8") as f:
                    rules = yaml.safe_load(f)
                if not any(g.get("rules") for g in rules.get("groups") or []):
                    problem(f"prometheus: {rule_file} holds no rules")
        jobs = {}
        for job in prom_config.get("scrape_configs") or []:
            targets = [t for sc in job.get("static_configs") or [] for t in sc.get("targets") or []]
            jobs[job.get("job_name")] = targets
            for target in targets:
                if service_host(target) not in services:
                    problem(f"prometheus: job {job.get('job_name')} targets {target}, not a compose service")
            for relabel in job.get("relabel_configs") or []:
                replacement = relabel.get("replacement", "")
                if ":" in replacement and service_host(replacement) not in services:
                    problem(f"prometheus: job {job.get('job_name')} sends probes to {replacement}, not a service")
        surgicase_services = [n for n, s in services.items() if s.get("image") == "surgicase:local" or s.get("build")]
        scraped = {service_host(t) for j in ("surgicase-api", "surgicase-scheduler") for t in jobs.get(j, [])}
        for name in surgicase_services:
            if name not in scraped:
                problem(f"prometheus: SurgiCase service {name} is not scraped by surgicase-api or surgicase-scheduler")

grafana = services.get("grafana")
if grafana is not None:
    provisioned_dashboards = False
    for source, target, bind in mounts(grafana):
        if bind and target.startswith("/etc/grafana/provisioning/dashboards/"):
            with open(host_path(COMPOSE_FILES[0], source), encoding="utf-8") as f:
                provider = yaml.safe_load(f)
            for p in provider.get("providers") or []:
                path = (p.get("options") or {}).get("path", "")
                dashboards = [t for s, t, b in mounts(grafana) if b and t.startswith(path.rstrip("/") + "/")
                              and t.endswith(".json")]
                if not dashboards:
                    problem(f"grafana: provider {p.get('name')} reads {path}, where no dashboard is mounted")
                provisioned_dashboards = True
        if bind and target.startswith("/etc/grafana/provisioning/datasources/"):
            with open(host_path(COMPOSE_FILES[0], source), encoding="utf-8") as f:
                sources = yaml.safe_load(f)
            for ds in sources.get("datasources") or []:
                if service_host(ds.get("url", "")) not in services:
                    problem(f"grafana: data source {ds.get('name')} points at {ds.get('url')}, not a service")
    if not provisioned_dashboards:
        problem("grafana: no dashboard provider is mounted")

lb = services.get("lb")
if lb is not None:
    nginx_file = mounted_host_file(lb, "/etc/nginx/nginx.conf", COMPOSE_FILES[0])
    if nginx_file is None or not os.path.isfile(nginx_file):
        problem("lb: /etc/nginx/nginx.conf is not mounted from the repository")
    else:
        with open(nginx_file, encoding="utf-8") as f:
            text = f.read()
        upstreams = re.findall(r"^\s*server\s+([A-Za-z0-9_.-]+):\d+", text, re.M)
        if len(upstreams) < 2:
            problem("lb: nginx.conf balances fewer than two upstream servers")
        for host in upstreams:
            if host not in services:
                problem(f"lb: nginx.conf upstream {host} is not a compose service")

# ---------------------------------------------------------------- SURGICASE_* variables
def flat_names():
    text = open(os.path.join(ROOT, "crates/config/src/load.rs"), encoding="utf-8").read()
    block = re.search(r"const FLAT_NAMES[^=]*=\s*&\[(.*?)\];", text, re.S)
    if block is None:
        problem("crates/config/src/load.rs: FLAT_NAMES not found; cannot map the flat variable names")
        return {}
    return {f"SURGICASE_{a}": b for a, b in re.findall(r'\("([A-Z_]+)",\s*"([a-z_.]+)"\)', block.group(1))}


FLAT = flat_names()


def flatten(table, prefix=""):
    out = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        out[key] = v
    return out


checked = 0
for name, svc in merged_services.items():
    if not (svc.get("image") == "surgicase:local" or svc.get("build")):
        continue
    entry = svc.get("entrypoint") or ["surgicase-api"]
    binary_name = (entry if isinstance(entry, list) else shlex.split(entry))[0]
    if binary_name not in SURGICASE_BINARIES:
        problem(f"service {name}: entrypoint {binary_name} is not a SurgiCase binary")
        continue
    env = environment(svc)
    surgicase_vars = {k: v for k, v in env.items() if k.startswith("SURGICASE_")}
    run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **surgicase_vars}
    out = subprocess.run([SURGICASE_BINARIES[binary_name], "config"], env=run_env, capture_output=True, text=True)
    if out.returncode != 0:
        problem(f"service {name}: {binary_name} refuses its environment: {out.stderr.strip()}")
        continue
    effective = flatten(tomllib.loads(out.stdout))
    for var in surgicase_vars:
        key = FLAT.get(var) or var[len("SURGICASE_"):].lower().replace("__", ".")
        if key not in effective:
            problem(f"service {name}: {var} does not reach a configuration key (expected `{key}`)")
        checked += 1
print(f"compose: {checked} SURGICASE_* settings accepted by the binaries", file=sys.stderr)

# ---------------------------------------------------------------- Dockerfile
dockerfile_path = os.path.join(DOCKER, "Dockerfile")
text = open(dockerfile_path, encoding="utf-8").read()
logical = re.sub(r"\\\n", " ", text)
instructions = [line.strip() for line in logical.splitlines() if line.strip() and not line.strip().startswith("#")]
builds = []
for line in instructions:
    if line.upper().startswith("RUN "):
        for part in re.split(r"&&|;", line):
            words = shlex.split(part)
            # Skip RUN options such as --mount=...
            while words and (words[0].upper() == "RUN" or words[0].startswith("--mount")):
                words = words[1:]
            if words[:2] == ["cargo", "build"]:
                builds.append(words)
if len(builds) != 1:
    problem(f"Dockerfile: expected one cargo build command, found {len(builds)}")
    build = ["cargo", "build"]
else:
    build = builds[0]
cargo_toml = tomllib.load(open(os.path.join(ROOT, "Cargo.toml"), "rb"))
bins = {b["name"] for b in cargo_toml.get("bin", [])}
named_bins = [build[i + 1] for i, w in enumerate(build[:-1]) if w == "--bin"]
if sorted(named_bins) != sorted(SURGICASE_BINARIES):
    problem(f"Dockerfile: cargo build names --bin {named_bins}, expected both {sorted(SURGICASE_BINARIES)}")
for b in named_bins:
    if b not in bins:
        problem(f"Dockerfile: --bin {b} is not a [[bin]] of the root Cargo.toml")
if "--locked" not in build:
    problem("Dockerfile: cargo build without --locked")
profile = next((build[i + 1] for i, w in enumerate(build[:-1]) if w == "--profile"), None)
if "--release" in build:
    profile = "release"
if profile is None:
    problem("Dockerfile: cargo build names no --profile")
else:
    builtin = {"dev": "debug", "release": "release", "test": "debug", "bench": "release"}
    if profile not in builtin and profile not in (cargo_toml.get("profile") or {}):
        problem(f"Dockerfile: builds with --profile {profile}, but the root Cargo.toml has no [profile.{profile}]")
    out_dir = builtin.get(profile, profile)
    for b in named_bins:
        if f"target/{out_dir}/{b}" not in logical:
            problem(f"Dockerfile: does not copy target/{out_dir}/{b} (the {profile} profile's output)")
channel = tomllib.load(open(os.path.join(ROOT, "rust-toolchain.toml"), "rb"))["toolchain"]["channel"]
image = re.search(r"^ARG RUST_IMAGE=(\S+)", text, re.M)
if image is None:
    problem("Dockerfile: no ARG RUST_IMAGE=rust:<version>-<distro>")
else:
    tag = image.group(1).split(":", 1)[-1].split("-")[0]
    if not (channel == tag or channel.startswith(tag + ".")):
        problem(f"Dockerfile: builder {image.group(1)} does not match rust-toolchain.toml channel {channel}")
for needle, why in [
    (r'^ENTRYPOINT \["surgicase-api"\]', 'ENTRYPOINT ["surgicase-api"]'),
    (r"^EXPOSE 8000\b", "EXPOSE 8000"),
    (r"^HEALTHCHECK\b", "a HEALTHCHECK"),
    (r"^FROM debian:bookworm-slim|^ARG RUNTIME_IMAGE=debian:bookworm-slim", "the debian:bookworm-slim runtime"),
]:
    if not re.search(needle, text, re.M):
        problem(f"Dockerfile: missing {why}")
users = re.findall(r"^USER\s+(\S+)", text, re.M)
if not users or users[-1].split(":")[0] in ("root", "0"):
    problem("Dockerfile: the image must run as a non-root user (USER uid:gid)")

# ---------------------------------------------------------------- .dockerignore
ignore_path = os.path.join(ROOT, ".dockerignore")
if not tracked(ignore_path):
    problem(".dockerignore is missing")
else:
    ignored = {line.strip().rstrip("/") for line in open(ignore_path, encoding="utf-8") if line.strip()}
    for must in (".git", "data"):
        if must not in ignored:
            problem(f".dockerignore does not exclude {must}")
    if not ({"target", "**/target", "/target"} & ignored):
        problem(".dockerignore does not exclude target")

for p in problems:
    print(f"docker/check.sh: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(" ".join(build))
PY
)

echo "Dockerfile builds with: $build_command"
if [ "$run_build" = 1 ]; then
  echo "running it"
  $build_command
fi
echo "docker/check.sh: ok"
