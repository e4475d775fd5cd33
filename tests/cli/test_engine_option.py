"""``--engine generated|closures``, ``engine`` in the configuration and ``B12LINT_ENGINE``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.cli.common import RuleOptions, router_from_config
from b12lint.config import ConfigError, load_config


def engines(options: RuleOptions) -> set[str]:
    config = options.settings()
    router = router_from_config(config, *options.args)
    return {pack.engine for pack in router.default.packs}


def test_generated_code_is_the_default(tmp_path: Path) -> None:
    options = RuleOptions(str(_config(tmp_path, "")), (), False, (), ())
    assert engines(options) == {"generated"}
    ruleset = router_from_config(options.settings(), *options.args).default
    assert all(rule.closures is not None for rule in ruleset.rules)


def test_the_configuration_and_the_option_choose(tmp_path: Path) -> None:
    path = str(_config(tmp_path, 'engine = "closures"\n'))
    assert engines(RuleOptions(path, (), False, (), ())) == {"closures"}
    assert engines(RuleOptions(path, (), False, (), (), engine="generated")) == {"generated"}
    ruleset = router_from_config(
        RuleOptions(path, (), False, (), ()).settings(), (), False, (), ()
    ).default
    assert all(rule.closures is None for rule in ruleset.rules)


def test_an_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="engine"):
        load_config(_config(tmp_path, 'engine = "fast"\n'))
    with pytest.raises(ConfigError, match="engine"):
        load_config(_config(tmp_path, ""), env={"B12LINT_ENGINE": "fast"})
    result = CliRunner().invoke(cli, ["check", "--engine", "fast", str(tmp_path)])
    assert result.exit_code == 2 and "--engine" in result.output


@pytest.mark.parametrize("engine", ["generated", "closures"])
def test_rule_examples_pass_with_either_engine(engine: str) -> None:
    result = CliRunner().invoke(cli, ["test", "--engine", engine])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def _config(folder: Path, text: str) -> Path:
    path = folder / "b12lint.toml"
    path.write_text(text, encoding="utf-8")
    return path
