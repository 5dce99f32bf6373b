"""deploy/kubernetes: the manifests name real commands, probes, files and settings.

No cluster runs here; this reads the manifests for what would break on the first `apply`.
"""

from pathlib import Path
from typing import Any

import yaml
from django.core.management import get_commands
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[3]
FOLDER = ROOT / "deploy" / "kubernetes"


def _documents() -> list[dict[str, Any]]:
    return [
        document
        for path in sorted(FOLDER.glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def _pods() -> list[dict[str, Any]]:
    pods = []
    for document in _documents():
        spec = document.get("spec", {})
        if document["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            pods.append(spec["template"]["spec"])
    return pods


def test_the_kustomization_lists_every_manifest() -> None:
    listed = yaml.safe_load((FOLDER / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(
        p.name for p in FOLDER.glob("*.yaml") if p.name != "kustomization.yaml"
    )


def test_every_container_runs_a_real_command_with_the_settings() -> None:
    commands = get_commands()
    kinds = {document["kind"] for document in _documents()}
    assert {"Deployment", "Job", "CronJob", "Service", "ConfigMap"} <= kinds
    run = []
    for pod in _pods():
        for container in pod["containers"]:
            assert container["image"] == "chancery"
            assert {"configMapRef": {"name": "chancery-config"}} in container["envFrom"]
            assert {"secretRef": {"name": "chancery-secrets"}} in container["envFrom"]
            command = container.get("command")
            if command:
                assert command[0] == "chancery" and command[1] in commands, command
                run.append(command[1])
    assert sorted(run) == ["db_worker", "migrate", "schedule"]


def test_the_probes_are_liveness_and_readiness_with_an_allowed_host() -> None:
    config = next(d for d in _documents() if d["kind"] == "ConfigMap")["data"]
    [app] = [c for pod in _pods() for c in pod["containers"] if c["name"] == "app"]
    for probe, view in (("livenessProbe", "livez"), ("readinessProbe", "readyz")):
        get = app[probe]["httpGet"]
        assert resolve(get["path"]).url_name == view
        [host] = [h["value"] for h in get["httpHeaders"] if h["name"] == "Host"]
        assert host in config["ALLOWED_HOSTS"].split(",")


def test_every_configured_variable_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    config = next(d for d in _documents() if d["kind"] == "ConfigMap")["data"]
    for name in config:
        assert f"`{name}`" in readme, name
