"The public names that ../shared/DESIGN.md fixes and users' scripts import still resolve where it says."
import importlib
import pytest

NAMES = {  # module: names, as DESIGN.md's table lists them
    'v2v.data': 'SyntheticScenes VideoFolder read_video',
    'v2v.flow': 'warp flow_to_rgb occlusion_mask estimate_flow',
    'v2v.generator': 'SequentialGenerator FrameGenerator compose generate',
    'v2v.discriminators': 'MultiScaleDiscriminator TemporalDiscriminator DualVideoDiscriminator',
    'v2v.metrics': 'fid video_fid fvd lpips warp_error tof tlp psnr ssim frechet_distance',
    'v2v.train': 'TrainConfig Trainer load_generator',
    'v2v.viewer': 'scrub explain_step save_video',
    # issue 27's homes: the loss registry, the checks, the checkpoints
    'v2v.losses': 'LOSSES register_loss loss_weights generator_losses',
    'v2v.checks': 'check_shape check_pixels check_memory user_errors',
    'v2v.checkpoint': 'load_generator export_generator pretrained_path load_checkpoint save_checkpoint',
}


@pytest.mark.parametrize('module', NAMES)
def test_public_names(module):
    m = importlib.import_module(module)
    missing = [n for n in NAMES[module].split() if not hasattr(m, n)]
    assert not missing, f'{module} lacks {missing}'


def test_presets_and_scripts():
    from v2v.train import TrainConfig
    assert TrainConfig.tiny().ngf and TrainConfig.small().height == 128 and TrainConfig.paper().ngf == 128
    from importlib.metadata import entry_points
    scripts = {e.name for e in entry_points(group='console_scripts') if e.value.startswith('v2v.')}
    assert {'v2v_train', 'v2v_generate', 'v2v_eval', 'v2v_bench', 'v2v_data', 'v2v_predict',
            'v2v_score'} <= scripts


def test_the_package_is_the_public_face():
    "`import v2v` names every public name, each the object its module defines, loaded on first use."
    import v2v
    assert set(NAMES['v2v.viewer'].split()) <= set(v2v.__all__)
    for n in v2v.__all__:
        mod = next(m for m, names in v2v.PUBLIC.items() if n in names)
        assert getattr(v2v, n) is getattr(importlib.import_module(f'v2v.{mod}'), n), n
    with pytest.raises(AttributeError, match='no attribute'): v2v.not_a_name
