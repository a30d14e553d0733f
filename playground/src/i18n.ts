// Every label in two languages. Korean follows the lecture deck's wording (9장 오차 역전파에서 딥러닝으로:
// 오차 역전파, 순전파, 은닉층, 델타식, 기울기 소실, 렐루, 확률적 경사 하강법, 모멘텀, 아담 …).

const en = {
  title: 'deltaflow playground',
  subtitle: 'Chapter 9 — from backpropagation to deep learning, run live with deltaflow in WebAssembly',
  lang_toggle: '한국어',
  figures: 'Figures',
  run: 'Run',
  pause: 'Pause',
  reset: 'Reset',
  step: 'Step',
  epoch: 'epoch',
  loss: 'loss',
  accuracy: 'accuracy',
  loss_mse: 'loss (mse)',
  loss_bce: 'loss (binary crossentropy)',
  loss_scce: 'loss (crossentropy)',
  learning_rate: 'learning rate',
  sigmoid: 'sigmoid',
  relu: 'ReLU',

  tab_backprop: 'Backpropagation',
  tab_vanishing: 'Vanishing gradient',
  tab_rnn: 'Vanishing gradient through time',
  tab_activations: 'Activation functions',
  tab_optimizers: 'Optimizers',
  tab_boundary: 'Decision boundaries',
  tab_digits: 'Handwritten digits',

  fig9_1: 'Figure 9-1 | Correcting the error in a single-layer perceptron',
  fig9_2: 'Figure 9-2 | Correcting the error in a multilayer perceptron',
  fig9_3: 'Figure 9-3 | The idea of backpropagation',
  fig9_4: 'Figure 9-4 | The vanishing gradient problem',
  fig9_5: 'Figure 9-5 | The derivative of the sigmoid',
  fig9_6: 'Figure 9-6 | Introducing other activation functions',
  fig9_7: 'Figure 9-7 | Gradient descent against stochastic gradient descent',
  fig9_8: 'Figure 9-8 | With momentum',
  fig9_9: 'Figure 9-9 | How advanced gradient descent evolved for deep learning',

  bp_intro:
    'A hidden layer means the weights must be corrected twice. ❶ A forward pass gives the output; its error against the true value is sent back: ❷ the output layer’s weights are corrected first, ❸ then the hidden layer’s, using the same delta rule out·(1−out). Step through one XOR pattern at a time, then run to watch the network learn from random weights.',
  bp_network: 'network',
  bp_multi: 'multilayer 2-2-1 (figure 9-2)',
  bp_single: 'single-layer 2-1 (figure 9-1)',
  bp_speed: 'epochs per frame',
  bp_phase0: '❶ Forward pass: each node computes σ(Σ w·x + b) with the current weights.',
  bp_phase1: '❷ Output error: δ_o = (y_o − y)·y_o(1 − y_o) gives the first weights’ (output layer) gradients.',
  bp_phase1_single: '❷ Output error: δ_o = (y_o − y)·y_o(1 − y_o) gives every weight’s gradient — one correction is enough.',
  bp_phase2: '❸ The error is sent back through the hidden layer: δ_h = (δ_o·w)·y_h(1 − y_h) gives the second weights’ gradients.',
  bp_phase3: 'Update: every weight moves against its gradient, w ← w − η·∂E/∂w. Next step: the next XOR pattern.',
  bp_running: 'Running: deltaflow trains with SGD, one pattern per step, in order — the same updates as the steps.',
  bp_running_formula: 'deltaflow: sgd({ learningRate: η/2 }) on mse = (y − t)², which is 2·E, so each step is w ← w − η·∂E/∂w.',
  bp_update_note: 'The labels on the edges show old → new weights.',
  bp_pattern: 'pattern',
  bp_agree_title: 'Gradients: by hand and by deltaflow',
  bp_by_hand: '∂E/∂w by hand',
  bp_by_deltaflow: 'deltaflow ½·∂mse/∂w',
  bp_agree_note: 'Same weights, same pattern: the hand-computed delta rule against model.computeGradients().',
  bp_xor_title: 'XOR: outputs for the four patterns',
  bp_prediction: 'output',
  bp_loss_title: 'Loss over the four patterns',

  vg_intro:
    'Stack many layers and the weight update that starts at the output no longer reaches the first layers: every sigmoid layer multiplies the error by σ′ ≤ 0.25. The same network with ReLU keeps a derivative of 1 for positive inputs, and its gradient reaches the first layer.',
  vg_depth: 'layers',
  vg_width: 'units',
  vg_setup: 'circles data, SGD, gradient norms per layer after every epoch',
  vg_layer_axis: 'layer (input → output)',
  vg_layer: 'layer',
  vg_ratio: 'first / last layer',
  vg_vs_last: 'relative to the last layer',
  vg_loss_title: 'Training loss',
  vg_max: 'maximum',

  rg_intro:
    'A recurrent network applies the same layer once per time step, so the error sent back from the last step is multiplied by the recurrent weights and the step’s derivative once per step: the vanishing gradient of a deep network, now through time. The task needs memory: two numbers of a sequence are marked, one in each half, and the target is their sum (the adding problem). The curves show ‖∂L/∂h_t‖, the error that reaches each time step’s state, for a SimpleRNN and an LSTM of the same size, after every epoch (dashed: before training).',
  rg_steps: 'sequence length',
  rg_units: 'units',
  rg_setup: 'adding problem, 2,000 sequences, Adam 0.01, mse; ‖∂L/∂h_t‖ on 48 held-out sequences after every epoch',
  rg_norm_title: 'Error reaching each time step, ‖∂L/∂h_t‖ (log scale)',
  rg_step_axis: 'time step t (first → last)',
  rg_ratio: 'first / last step',
  rg_before: 'before training',
  rg_loss_title: 'Held-out loss',
  rg_baseline: 'baseline: always the mean sum',
  rg_why:
    'One step back, the SimpleRNN multiplies the error by tanh′ ≤ 1 and its recurrent weights, again and again: the first marked number never reaches the weights, and the SimpleRNN stays at the baseline. The LSTM keeps a cell c_t = f·c_{t−1} + i·g beside its state: along it the error is only multiplied by the forget gate f, and once training opens f towards 1, the error reaches the first steps and the LSTM learns the sum. The curves come from the panel’s own backpropagation through time in float64 on the trained weights (model.getWeights()); its weight gradients are checked against deltaflow’s computeGradients.',
  rg_check: 'Check — largest gap between the hand-computed BPTT and computeGradients, relative to the largest gradient:',

  act_intro:
    'ReLU is 0 below zero and x above; its derivative (dashed) is 1 for every positive x, so the error survives many layers. Values and derivatives here are computed by deltaflow’s own kernels.',
  act_pick: 'show:',
  act_route:
    'Route: one Dense layer with input 1 and one unit per x, kernel = the x values, bias 0; predict gives f(x), computeGradients with mse against f(x) − 1 gives ∂mse/∂w_j = (2/N)·f′(x_j).',
  act_check: 'Check — largest gap between the slope of the kernel’s f over each step and the mean of its f′ there:',
  act_check_short: 'max |Δf/Δx − mean f′|',
  act_functions: 'functions',
  act_linear: 'linear',
  act_sigmoid: 'sigmoid',
  act_relu: 'ReLU',
  act_tanh: 'hyperbolic tangent',
  act_softplus: 'softplus',
  act_relu6: 'ReLU6',
  act_leakyRelu: 'leaky ReLU',
  act_elu: 'ELU',
  act_selu: 'SELU',
  act_gelu: 'GELU',
  act_swish: 'swish (SiLU)',
  act_mish: 'mish',
  act_softsign: 'softsign',
  act_hardSigmoid: 'hard sigmoid',
  act_hardSigmoidTfjs: 'hard sigmoid (tfjs, Keras 2)',

  opt_intro:
    'Gradient descent uses all the data for every update: accurate but slow. Stochastic gradient descent uses a random part of it: faster, and zigzagging. Momentum damps the zigzag; Adam combines momentum with adaptive step sizes. Every optimizer starts from the same point (white).',
  opt_surface: 'loss surface',
  opt_lr_scale: 'learning rate',
  opt_noise: 'gradient noise',
  opt_speed: 'speed',
  opt_step: 'step',
  opt_presets: 'compare:',
  opt_show_all: 'all optimizers',
  opt_tree_hint: 'Click an optimizer to highlight its path and its ancestors.',
  opt_diverged: 'diverged',
  surf_leastSquares: 'least squares, mini-batches of 8',
  surf_quadratic: 'ill-conditioned quadratic',
  surf_rosenbrock: 'Rosenbrock',
  surf_beale: 'Beale',
  opt_gd: 'gradient descent',
  opt_sgd: 'stochastic GD',
  opt_momentum: 'momentum',
  opt_nesterov: 'Nesterov momentum',
  opt_adagrad: 'Adagrad',
  opt_rmsprop: 'RMSprop',
  opt_adadelta: 'Adadelta',
  opt_adam: 'Adam',
  opt_nadam: 'Nadam',
  opt_adamax: 'Adamax',
  opt_amsgrad: 'AMSGrad',
  opt_adamw: 'AdamW',
  opt_lion: 'Lion',
  tree_direction: 'step direction (inertia) →',
  tree_size: 'step size (adaptive learning rate) →',
  tree_gd: 'Every update uses the whole data set.',
  tree_sgd: 'Every update uses a random mini-batch: faster, noisier.',
  tree_momentum: 'Keeps a running velocity: w ← w + v, v ← βv − η∇.',
  tree_nesterov: 'Looks ahead along the velocity before taking the gradient.',
  tree_adagrad: 'Divides each step by the root of the summed squared gradients.',
  tree_rmsprop: 'Like Adagrad, with a moving average instead of a sum.',
  tree_adadelta: 'Like RMSprop, with the step’s units fixed by a second average.',
  tree_adam: 'Momentum (direction) + RMSprop (size), bias-corrected.',
  tree_nadam: 'Adam with Nesterov’s look-ahead.',
  tree_adamax: 'Adam with the infinity norm in place of the squared average.',
  tree_amsgrad: 'Adam that never lets the second moment shrink.',
  tree_adamw: 'Adam with decoupled weight decay.',
  tree_lion: 'Only the sign of an interpolated momentum: every step the same size.',

  db_intro:
    'A network learns to separate two classes of points. The background shows its output over the plane while it trains; circled in white are training points, in black test points.',
  db_dataset: 'data',
  db_noise: 'noise',
  db_layers: 'hidden layers',
  db_units: 'units per layer',
  db_activation: 'activation',
  db_optimizer: 'optimizer',
  db_batch: 'batch size',
  db_loss_title: 'Training and test loss',
  db_train: 'training',
  db_test: 'test',
  db_label: 'class',
  db_click_class: 'click adds class',
  db_clear: 'clear points',
  db_click_hint: 'Click to add points (shift-click: the other class).',
  ds_xor: 'XOR',
  ds_circles: 'circles',
  ds_spirals: 'two spirals',
  ds_gaussians: 'Gaussian blobs',
  ds_custom: 'your points',

  dg_intro:
    'The 784-128-10 network (ReLU, softmax, Adam) trains on 8,000 MNIST digits right here, in WebAssembly, and is tested on 2,000 others after every epoch. Then draw a digit: it is scaled into a 20×20 box and centred by its centre of mass, like MNIST.',
  dg_loss_title: 'Loss',
  dg_acc_title: 'Accuracy',
  dg_draw_title: 'Draw a digit',
  dg_draw_hint: 'draw with the mouse or a finger',
  dg_clear: 'clear',
  dg_input_title: 'What the network sees (28×28)',
  dg_samples_title: 'Training digits',
  dg_probs_title: 'Class probabilities',
  dg_train_running: 'training (running)',
  dg_speed: 'speed',
  dg_time: 'training time',
  dg_test_acc: 'test accuracy',
  dg_loaded: 'MNIST digits loaded: training + test',
  dg_digit: 'digit',
};

export type Key = keyof typeof en;
export type Lang = 'ko' | 'en';

const ko: Record<Key, string> = {
  title: 'deltaflow 플레이그라운드',
  subtitle: '9장 오차 역전파에서 딥러닝으로 — deltaflow와 웹어셈블리로 직접 실행해 보기',
  lang_toggle: 'English',
  figures: '그림',
  run: '실행',
  pause: '일시 정지',
  reset: '초기화',
  step: '한 단계',
  epoch: '에포크',
  loss: '오차',
  accuracy: '정확도',
  loss_mse: '오차 (평균 제곱 오차)',
  loss_bce: '오차 (이항 교차 엔트로피)',
  loss_scce: '오차 (교차 엔트로피)',
  learning_rate: '학습률',
  sigmoid: '시그모이드',
  relu: '렐루',

  tab_backprop: '오차 역전파',
  tab_vanishing: '기울기 소실 문제',
  tab_rnn: '시간에 따른 기울기 소실',
  tab_activations: '활성화 함수',
  tab_optimizers: '고급 경사 하강법',
  tab_boundary: '결정 경계',
  tab_digits: '손글씨 숫자 인식',

  fig9_1: '그림 9-1 | 단일 퍼셉트론에서 오차 수정',
  fig9_2: '그림 9-2 | 다층 퍼셉트론에서 오차 수정',
  fig9_3: '그림 9-3 | 오차 역전파의 개념',
  fig9_4: '그림 9-4 | 기울기 소실 문제 발생',
  fig9_5: '그림 9-5 | 시그모이드의 미분',
  fig9_6: '그림 9-6 | 여러 활성화 함수의 도입',
  fig9_7: '그림 9-7 | 경사 하강법과 확률적 경사 하강법의 비교',
  fig9_8: '그림 9-8 | 모멘텀을 적용했을 때',
  fig9_9: '그림 9-9 | 딥러닝에 사용되는 고급 경사 하강법의 변천',

  bp_intro:
    '은닉층이 생기면서 가중치를 한 번 수정하면 되던 작업이 두 번 수정해야 하는 것이 되었습니다. ❶ 한 번의 순전파로 출력을 구하고, 실제 값과 비교한 출력층의 오차를 거꾸로 보냅니다: ❷ 첫 번째 가중치(출력층)를 수정하고 ❸ 두 번째 가중치(은닉층)를 수정합니다. 두 식 모두 out(1−out) 형태, 즉 델타식입니다. XOR 패턴 하나씩 한 단계로 따라가 본 뒤, 실행을 눌러 임의의 가중치에서 학습하는 모습을 보세요.',
  bp_network: '신경망',
  bp_multi: '다층 퍼셉트론 2-2-1 (그림 9-2)',
  bp_single: '단일 퍼셉트론 2-1 (그림 9-1)',
  bp_speed: '프레임당 에포크',
  bp_phase0: '❶ 순전파: 현재 가중치로 각 노드가 σ(Σ w·x + b)를 계산합니다.',
  bp_phase1: '❷ 출력층의 오차 계산: δ_o = (y_o − y)·y_o(1 − y_o)로 첫 번째 가중치(출력층)의 기울기를 구합니다.',
  bp_phase1_single: '❷ 출력층의 오차 계산: δ_o = (y_o − y)·y_o(1 − y_o)로 모든 가중치의 기울기를 구합니다 — 한 번의 수정이면 됩니다.',
  bp_phase2: '❸ 오차를 은닉층으로 거꾸로 전달: δ_h = (δ_o·w)·y_h(1 − y_h)로 두 번째 가중치(은닉층)의 기울기를 구합니다.',
  bp_phase3: '가중치 업데이트: 모든 가중치가 기울기의 반대 방향으로 움직입니다, w ← w − η·∂E/∂w. 다음 단계는 다음 XOR 패턴입니다.',
  bp_running: '실행 중: deltaflow가 확률적 경사 하강법으로 패턴을 하나씩 차례로 학습합니다 — 단계별 계산과 같은 업데이트입니다.',
  bp_running_formula: 'deltaflow: 평균 제곱 오차 (y − t)² = 2·E 에 sgd({ learningRate: η/2 })를 쓰므로 한 번의 업데이트는 w ← w − η·∂E/∂w 입니다.',
  bp_update_note: '연결선의 숫자는 이전 가중치 → 새 가중치입니다.',
  bp_pattern: '패턴',
  bp_agree_title: '기울기: 직접 계산과 deltaflow',
  bp_by_hand: '직접 계산한 ∂E/∂w',
  bp_by_deltaflow: 'deltaflow ½·∂mse/∂w',
  bp_agree_note: '같은 가중치, 같은 패턴: 직접 계산한 델타식과 model.computeGradients()의 비교.',
  bp_xor_title: 'XOR: 네 패턴의 출력',
  bp_prediction: '출력',
  bp_loss_title: '네 패턴에 대한 오차',

  vg_intro:
    '깊은 층을 만들어 보니 출력층에서 시작된 가중치 업데이트가 처음 층까지 전달되지 않습니다. 시그모이드를 미분하면 최대치는 0.25이므로, 1보다 작은 값을 계속 곱하다 보면 0에 가까워집니다. 같은 신경망에 렐루를 쓰면 x가 0보다 클 때 미분 값이 1이어서 맨 처음 층까지 값이 남아 있습니다.',
  vg_depth: '층 수',
  vg_width: '노드 수',
  vg_setup: '원형 데이터, 확률적 경사 하강법, 에포크마다 층별 기울기 크기',
  vg_layer_axis: '층 (입력 → 출력)',
  vg_layer: '층',
  vg_ratio: '첫 층 / 마지막 층',
  vg_vs_last: '마지막 층 대비',
  vg_loss_title: '학습 오차',
  vg_max: '최대치',

  rg_intro:
    '순환 신경망은 같은 층을 시간 단계마다 한 번씩 적용합니다. 그래서 마지막 단계에서 되돌아오는 오차는 단계마다 순환 가중치와 그 단계의 미분값이 곱해집니다. 깊은 신경망의 기울기 소실 문제가 이번에는 시간을 거슬러 일어나는 것입니다. 이 과제는 기억이 필요합니다: 시퀀스의 앞쪽 절반과 뒤쪽 절반에서 숫자가 하나씩 표시되어 있고, 정답은 두 숫자의 합입니다 (덧셈 문제). 그래프는 같은 크기의 SimpleRNN과 LSTM에서 각 시간 단계의 상태까지 전달되는 오차 ‖∂L/∂h_t‖를 에포크마다 보여 줍니다 (점선: 학습 전).',
  rg_steps: '시퀀스 길이',
  rg_units: '노드 수',
  rg_setup: '덧셈 문제, 시퀀스 2,000개, 아담 0.01, 평균 제곱 오차; 에포크마다 검증 시퀀스 48개로 ‖∂L/∂h_t‖',
  rg_norm_title: '각 시간 단계까지 전달되는 오차 ‖∂L/∂h_t‖ (로그 스케일)',
  rg_step_axis: '시간 단계 t (처음 → 마지막)',
  rg_ratio: '첫 단계 / 마지막 단계',
  rg_before: '학습 전',
  rg_loss_title: '검증 오차',
  rg_baseline: '기준선: 항상 평균 합',
  rg_why:
    'SimpleRNN은 한 단계 거슬러 갈 때마다 오차에 tanh′ ≤ 1과 순환 가중치를 곱합니다. 계속 곱하다 보면 0에 가까워져서 첫 번째 표시된 숫자의 오차가 가중치까지 전달되지 않고, SimpleRNN은 기준선에 머뭅니다. LSTM은 상태 옆에 셀 c_t = f·c_{t−1} + i·g를 둡니다. 셀을 따라가는 오차에는 망각 게이트 f만 곱해지므로, 학습으로 f가 1에 가까워지면 오차가 처음 단계까지 전달되고 LSTM은 합을 배웁니다. 그래프는 학습된 가중치(model.getWeights())로 이 패널이 직접 float64로 계산한 시간에 따른 오차 역전파(BPTT)이며, 그 가중치 기울기를 deltaflow의 computeGradients와 비교해 확인합니다.',
  rg_check: '확인 — 직접 계산한 BPTT와 computeGradients의 최대 차이 (가장 큰 기울기 대비):',

  act_intro:
    '렐루는 x가 0보다 작을 때 모든 값을 0으로 처리하고, 0보다 큰 값은 x를 그대로 사용합니다. 점선이 미분 결과인데, x가 0보다 크기만 하면 미분 값은 1이 됩니다. 여기의 함수 값과 미분 값은 모두 deltaflow의 커널로 계산했습니다.',
  act_pick: '보기:',
  act_route:
    '계산 방법: 입력이 1이고 x마다 노드가 하나인 Dense 층(가중치 = x 값, 바이어스 0). predict가 f(x)를, f(x) − 1을 목표로 한 평균 제곱 오차의 computeGradients가 ∂mse/∂w_j = (2/N)·f′(x_j)를 줍니다.',
  act_check: '검산 — 각 구간에서 커널이 준 f의 기울기와 f′ 평균의 최대 차이:',
  act_check_short: '최대 |Δf/Δx − f′ 평균|',
  act_functions: '개 함수',
  act_linear: '선형',
  act_sigmoid: '시그모이드',
  act_relu: '렐루',
  act_tanh: '하이퍼볼릭 탄젠트',
  act_softplus: '소프트플러스',
  act_relu6: '렐루6',
  act_leakyRelu: '리키 렐루',
  act_elu: 'ELU',
  act_selu: 'SELU',
  act_gelu: 'GELU',
  act_swish: '스위시 (SiLU)',
  act_mish: '미시',
  act_softsign: '소프트사인',
  act_hardSigmoid: '하드 시그모이드',
  act_hardSigmoidTfjs: '하드 시그모이드 (tfjs, 케라스 2)',

  opt_intro:
    '경사 하강법은 한 번 업데이트할 때마다 전체 데이터를 미분하므로 정확하지만 느립니다. 확률적 경사 하강법은 랜덤하게 추출한 일부 데이터만 사용해 빠르지만 진폭이 크고 지그재그로 움직입니다. 모멘텀은 지그재그를 줄이고, 아담은 모멘텀과 적응형 보폭을 합친 방법입니다. 모든 옵티마이저가 같은 점(흰색)에서 출발합니다.',
  opt_surface: '오차 곡면',
  opt_lr_scale: '학습률',
  opt_noise: '기울기 잡음',
  opt_speed: '속도',
  opt_step: '단계',
  opt_presets: '비교:',
  opt_show_all: '모든 옵티마이저',
  opt_tree_hint: '옵티마이저를 클릭하면 그 경로와 조상이 강조됩니다.',
  opt_diverged: '발산',
  surf_leastSquares: '최소 제곱, 미니 배치 8개',
  surf_quadratic: '길쭉한 이차 함수',
  surf_rosenbrock: '로젠브록 함수',
  surf_beale: '빌 함수',
  opt_gd: '경사 하강법',
  opt_sgd: '확률적 경사 하강법',
  opt_momentum: '모멘텀',
  opt_nesterov: '네스테로프 모멘텀',
  opt_adagrad: '아다그라드',
  opt_rmsprop: '알엠에스프롭',
  opt_adadelta: '아다델타',
  opt_adam: '아담',
  opt_nadam: '나담',
  opt_adamax: '아다맥스',
  opt_amsgrad: '암스그라드',
  opt_adamw: '아담W',
  opt_lion: '라이언',
  tree_direction: '스텝 방향 (관성) →',
  tree_size: '스텝 사이즈 (적응형 학습률) →',
  tree_gd: '업데이트마다 전체 데이터를 사용합니다.',
  tree_sgd: '업데이트마다 랜덤한 일부 데이터를 사용합니다: 빠르지만 불안정합니다.',
  tree_momentum: '이전 수정 값과 방향을 참고해 같은 방향으로 일정한 비율만 수정합니다 (관성).',
  tree_nesterov: '관성 방향으로 미리 이동한 곳에서 기울기를 구합니다.',
  tree_adagrad: '지금까지 기울기 제곱의 합의 제곱근으로 보폭을 나눕니다.',
  tree_rmsprop: '아다그라드의 합 대신 이동 평균을 씁니다.',
  tree_adadelta: '알엠에스프롭에 두 번째 이동 평균으로 보폭의 단위를 맞춥니다.',
  tree_adam: '모멘텀(방향)과 알엠에스프롭(보폭)을 합친 방법, 편향 보정 포함.',
  tree_nadam: '네스테로프의 미리 보기를 더한 아담.',
  tree_adamax: '제곱 평균 대신 최댓값 노름을 쓰는 아담.',
  tree_amsgrad: '두 번째 모멘트가 줄어들지 않게 하는 아담.',
  tree_adamw: '가중치 감쇠를 분리한 아담.',
  tree_lion: '보간한 모멘텀의 부호만 사용: 매 단계 같은 크기로 움직입니다.',

  db_intro:
    '신경망이 두 종류의 점을 나누는 법을 배웁니다. 배경은 학습하는 동안 평면 위의 출력을 보여 줍니다. 흰 테두리는 학습 데이터, 검은 테두리는 테스트 데이터입니다.',
  db_dataset: '데이터',
  db_noise: '잡음',
  db_layers: '은닉층 수',
  db_units: '층마다 노드 수',
  db_activation: '활성화 함수',
  db_optimizer: '옵티마이저',
  db_batch: '배치 크기',
  db_loss_title: '학습 오차와 테스트 오차',
  db_train: '학습',
  db_test: '테스트',
  db_label: '클래스',
  db_click_class: '클릭하면 추가되는 클래스',
  db_clear: '점 지우기',
  db_click_hint: '클릭해서 점을 추가하세요 (Shift+클릭: 다른 클래스).',
  ds_xor: 'XOR',
  ds_circles: '원',
  ds_spirals: '두 개의 나선',
  ds_gaussians: '가우스 분포 두 덩어리',
  ds_custom: '직접 찍은 점',

  dg_intro:
    '784-128-10 신경망(렐루, 소프트맥스, 아담)이 이 페이지 안에서, 웹어셈블리로 MNIST 숫자 8,000개를 학습하고 에포크마다 다른 2,000개로 테스트합니다. 그다음 숫자를 그려 보세요: MNIST처럼 20×20 상자에 맞추고 무게 중심으로 가운데 정렬합니다.',
  dg_loss_title: '오차',
  dg_acc_title: '정확도',
  dg_draw_title: '숫자를 그려 보세요',
  dg_draw_hint: '마우스나 손가락으로 그리세요',
  dg_clear: '지우기',
  dg_input_title: '신경망이 보는 입력 (28×28)',
  dg_samples_title: '학습 데이터의 숫자',
  dg_probs_title: '클래스별 확률',
  dg_train_running: '학습 (진행 중)',
  dg_speed: '속도',
  dg_time: '학습 시간',
  dg_test_acc: '테스트 정확도',
  dg_loaded: 'MNIST 숫자 불러옴: 학습 + 테스트',
  dg_digit: '숫자',
};

const table: Record<Lang, Record<Key, string>> = { en, ko };
const listeners = new Set<() => void>();

function initial(): Lang {
  const q = new URLSearchParams(globalThis.location?.search ?? '').get('lang');
  if (q === 'en' || q === 'ko') return q;
  try {
    const saved = globalThis.localStorage?.getItem('deltaflow-playground-lang');
    if (saved === 'en' || saved === 'ko') return saved;
  } catch {
    /* storage may be unavailable */
  }
  return 'ko';
}

let lang: Lang = initial();

export const getLang = () => lang;

export function t(key: Key): string {
  const s = table[lang][key];
  if (s === undefined) throw new Error(`i18n: no string '${key}'`);
  return s;
}

export function setLang(next: Lang): void {
  if (next === lang) return;
  lang = next;
  try {
    globalThis.localStorage?.setItem('deltaflow-playground-lang', next);
  } catch {
    /* ignore */
  }
  listeners.forEach((fn) => fn());
}

/** Runs fn after every language switch (canvas labels, generated text). */
export function onLang(fn: () => void): void {
  listeners.add(fn);
}
