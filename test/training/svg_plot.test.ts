import { niceTicks, smooth, svgChart } from '../../src/training/svg_plot';
import { formatDuration, formatProgress, ProgressBar } from '../../src/training/progress';

describe('svg plot', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.013, 0.049)).toEqual([0.02, 0.03, 0.04]);
    expect(niceTicks(-3, 1, 4)).toEqual([-3, -2, -1, 0, 1]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });

  it('averages windows of points', () => {
    expect(
      smooth(
        [
          [1, 1],
          [2, 3],
          [3, 5],
          [4, 7],
          [5, 9],
        ],
        2,
      ),
    ).toEqual([
      [2, 2],
      [4, 6],
      [5, 9],
    ]);
  });

  it('draws panels with polylines, a log axis, dashed baselines and escaped text', () => {
    const svg = svgChart('copy <T=30> & more', [
      {
        title: 'loss',
        xLabel: 'step',
        yLabel: 'loss',
        logY: true,
        series: [
          {
            label: 'train',
            color: '#00f',
            points: [
              [1, 10],
              [2, 1],
              [3, 0.01],
              [4, 0],
            ],
          },
          {
            label: 'baseline',
            color: '#555',
            dashed: true,
            points: [
              [1, 0.5],
              [4, 0.5],
            ],
          },
        ],
      },
      {
        title: 'acc',
        xLabel: 'step',
        yLabel: '%',
        series: [{ label: 'v', color: '#f00', points: [[3, 50]] }],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="920"')).toBe(true);
    expect(svg).toContain('copy &lt;T=30&gt; &amp; more');
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg).toContain('stroke-dasharray="6,4"');
    expect(svg).toContain('>1e-2<'); // log ticks from 1e-2 to 1e1; the zero loss is dropped
    expect(svg).toContain('>1e1<');
    expect(svg).toContain('<circle'); // a single validation point is marked
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

describe('progress', () => {
  const figures = {
    epoch: 2,
    epochs: 5,
    step: 25,
    stepsPerEpoch: 100,
    loss: 0.12345,
    accuracy: 0.5,
    secondsPerStep: 2,
    stepsLeft: 375,
  };

  it('formats durations and the progress line with ETA', () => {
    expect([
      formatDuration(12),
      formatDuration(184),
      formatDuration(3720),
      formatDuration(NaN),
    ]).toEqual(['12s', '3m04s', '1h02m', '?']);
    expect(formatProgress(figures)).toBe(
      'epoch 2/5 [######..................] 25/100 loss 0.1235 acc 50.0% 2.00 s/step ETA epoch 2m30s run 12m30s',
    );
  });

  it('redraws in place on a terminal and prints every N steps otherwise', () => {
    const tty: string[] = [];
    new ProgressBar({ isTTY: true, write: (t) => tty.push(t) }, 10).update(figures);
    expect(tty[0].startsWith('\repoch 2/5')).toBe(true);
    const lines: string[] = [];
    const bar = new ProgressBar({ isTTY: false, write: (t) => lines.push(t) }, 10);
    for (let step = 1; step <= 25; step++) bar.update({ ...figures, step, stepsPerEpoch: 25 });
    expect(lines.map((l) => l.split(' ')[3])).toEqual(['10/25', '20/25', '25/25']);
  });
});
