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
    <message>
        <source>Show or hide the engine settings: precision, batch size, workers, tiles, device and output scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number format the network computes in. FP16 and BF16 halve the memory and are faster on GPUs; FP32 is exact everywhere; the model&apos;s own keeps what the file holds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many video frames go through the network at once. Larger batches are faster on a GPU and use more memory; 1 to 2 suits the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many copies of the network run side by side, each on its own thread. More workers use more memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Large pictures are upscaled in square tiles of this size, so that they fit in memory. Auto picks a size from the free memory; smaller tiles use less memory and are slower.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the network runs: Automatic takes the first GPU when there is one, else the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much larger the result is. The model&apos;s own scale (usually 4) is the sharpest; other values resize its result.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>The output &apos;%1&apos; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The frame file &apos;%1&apos; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An interrupted run of &apos;%1&apos; left finished parts behind.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A video cannot be saved as the image &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The container of &apos;%1&apos; cannot hold the chosen codec.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen codec cannot write &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The video encoder cannot write &apos;%1&apos; with these settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen device is not available on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model was found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model &apos;%1&apos; was not found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; was not found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not in a format Upscale Studio can read or write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is damaged or incomplete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model does not fit its architecture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be read or written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full: &apos;%1&apos; cannot be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is larger than the pixel limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device ran out of memory while upscaling &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: &apos;%1&apos; was not finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be upscaled with these settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unexpected error stopped &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose Keep both or Replace under If the output exists, or another output folder, then press Start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another output folder with Choose..., then press Start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once that is fixed, press Resume: finished work is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Resume to continue it, or choose Replace under If the output exists to start over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another model in the Model list, or add a model file with Add model....</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose CPU or Automatic under Advanced &gt; Device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is refused to protect the computer&apos;s memory; use a smaller picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another codec under Video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another codec, or the MKV container, which holds them all, under Video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try another speed preset, quality or codec under Video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a video container under Video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details: %1</source>
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
    <message>
        <source>Upscale every waiting, failed or cancelled item; when there is none, the selected items again with the current settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after the current batch. Finished outputs are kept; Resume continues the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the whole picture (Ctrl+0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One pixel of the result per screen pixel (Ctrl+1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap the before and after sides (X)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueWidget</name>
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
        <source>&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;Drop pictures, videos or folders here&lt;/b&gt;&lt;/p&gt;&lt;p&gt;or use File &gt; Add files... (Ctrl+O). Then choose a model and press Start.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected items from the queue (Delete). Files on disk are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty the queue. Files on disk are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-run failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put every failed and cancelled item back in line for the next Start.</source>
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
    <message>
        <source>Drag to move the split. Wheel: zoom about the pointer. Middle or right button, or Space and drag: pan. Double click: fit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>upscale::app::LogPanel</name>
    <message>
        <source>What the program does, with warnings and errors. Right-click to copy, clear, or show debug messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show debug messages</source>
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
        <source>The output folder cannot be created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder &apos;%1&apos; cannot be created. Choose another output folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Upscaling %n item(s)...</source>
        <translation>
            <numerusform>Upscaling %n item...</numerusform>
            <numerusform>Upscaling %n items...</numerusform>
        </translation>
    </message>
    <message>
        <source>The job could not start</source>
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
        <source>Already in the queue, selected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not added: %1 is not a picture or a video this program can read, or is missing.</source>
        <translation>
            <numerusform>Not added: %1 is not a picture or a video this program can read, or is missing.</numerusform>
            <numerusform>Not added: %1 are not pictures or videos this program can read, or are missing.</numerusform>
        </translation>
    </message>
    <message>
        <source>Zoom %1×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to upscale: add pictures or videos to the queue, or select finished items to run them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name pattern &apos;%1&apos; must be a file name without a folder, using {name}, {scale} and {model}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished in %1 s: %2 done, %3 skipped, %4 failed, %5 cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 frames · measuring the speed...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 frames · %3 frames/s · %4 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled. Press Resume (or Start) to continue where it stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 frames</source>
        <translation type="unfinished"></translation>
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
        <source>Model files (%1);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>upscale::app::OutputOptions</name>
    <message>
        <source>Image format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the output exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file format of upscaled images. PNG and TIFF are lossless; JPEG and WebP are smaller.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same container as the input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The container of upscaled videos. MP4 plays everywhere; MKV holds every codec, subtitle and attachment; MOV suits editing software; WebM is for the web.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 animation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A GIF or WebP animation keeps each frame&apos;s timing and the transparency; it has no sound.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usual codec of the container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FFV1 (lossless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The video codec. H.264 plays everywhere; H.265 and AV1 give smaller files for the same quality but encode slower; FFV1 is lossless, for archives; ProRes is for editing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRF </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Constant rate factor for H.264, H.265 and AV1: lower is better and larger. 18 is visually lossless for H.264, 23 its default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fastest (ultrafast)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fast (veryfast)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balanced (medium)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smallest file (slow)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The encoder&apos;s speed preset for H.264 and H.265: slower presets give smaller files at the same quality.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep both (numbered name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip the item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When an output file already exists: keep it and write the new one under a numbered name, replace it, or leave it and skip the item.</source>
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
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1 / %2 frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Done: %n frame(s)</source>
        <translation>
            <numerusform>Done: %n frame</numerusform>
            <numerusform>Done: %n frames</numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped: the output exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled at %1 / %2 frames</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
