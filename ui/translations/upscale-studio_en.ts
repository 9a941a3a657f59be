<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="en">
<context>
    <name>AdvancedPanel</name>
    <message>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tile size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Output file name: {name} is the input&apos;s name, {scale} the output scale, {model} the model.</source>
        <translation>Output file name: {name} is the input&apos;s name, {scale} the output scale, {model} the model.</translation>
    </message>
    <message>
        <source>Upscale Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Beside each input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;files...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add f&amp;older...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Upscale Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Continue the interrupted job: finished outputs are kept, videos go on after their last saved segment</source>
        <translation>Continue the interrupted job: finished outputs are kept, videos go on after their last saved segment</translation>
    </message>
</context>
<context>
    <name>QueueWidget</name>
    <message>
        <source>Drop images or folders here, or use File &gt; Add files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-run failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>upscale::app::AdvancedPanel</name>
    <message>
        <source>FP16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FP32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (the model&apos;s own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (the first GPU, else the CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fastest on NVIDIA GPUs; the CPU runs it as FP32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full precision: runs everywhere, uses more memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeps the model file&apos;s own type (BF16 runs on the CPU too).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>upscale::app::CompareView</name>
    <message>
        <source>Select an item to preview it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>upscale::app::MainWindow</name>
    <message>
        <source>The name pattern cannot be used</source>
        <translation>The name pattern cannot be used</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to upscale: add images to the queue first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The output folder cannot be created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder &apos;%1&apos; cannot be created. Choose another output folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Upscaling %n item(s)...</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Finished: %1 succeeded, %2 failed in %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item %1 of %2 · %3 frames/s · ETA %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The job could not start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images and videos (%1);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Upscale Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Upscale Studio&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Enlarges images with neural networks.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later. The bundled models are Real-ESRGAN&apos;s (BSD-3-Clause).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the job?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A job is running. Cancel it and close? Items already done are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A job of %n item(s) was interrupted. Press Resume to continue it where it stopped.</source>
        <translation>
            <numerusform>A job of %n item was interrupted. Press Resume to continue it where it stopped.</numerusform>
            <numerusform>A job of %n items was interrupted. Press Resume to continue it where it stopped.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled. Press Resume to continue where it stopped.</source>
        <translation>Cancelled. Press Resume to continue where it stopped.</translation>
    </message>
</context>
<context>
    <name>upscale::app::ModelPicker</name>
    <message>
        <source>%1 (Recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add model...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model files (*.safetensors *.pth *.pt *.ckpt *.param);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>upscale::app::QueueWidget</name>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
