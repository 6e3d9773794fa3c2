"""`worldreel generate --aov`: AOV folders beside the clip, refused names, no overwrite by default."""

from click.testing import CliRunner

from worldreel.cli import main

PROMPT = "a basketball bounces off the backboard and falls to the floor"


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_generate_writes_aovs_beside_the_clip(tmp_path):
    clip = tmp_path / "c.mp4"
    result = _run("generate", PROMPT, "-o", str(clip), "--size", "160x96", "--seconds", "1",
                  "--aov", "depth,segmentation", "--quiet")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "c_aov"
    assert len(list((folder / "depth").glob("*.png"))) == 24
    assert len(list((folder / "segmentation").glob("*.png"))) == 24
    assert (folder / "ids.json").is_file()
    again = _run("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--size", "160x96",
                 "--seconds", "1", "--aov", "depth", "--quiet")
    assert again.exit_code != 0


def test_unknown_aov_is_refused(tmp_path):
    result = _run("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--aov", "normals")
    assert result.exit_code != 0
    assert "depth, segmentation" in result.output
    assert list(tmp_path.iterdir()) == []
