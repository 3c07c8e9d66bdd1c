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
    assert {'v2v_train', 'v2v_generate', 'v2v_eval', 'v2v_bench', 'v2v_data'} <= scripts
